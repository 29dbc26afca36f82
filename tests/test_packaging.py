"""The built wheel is what a Saleor deployment installs: it must carry every non-Python part."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("saleor_aftersales-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_migrations_templates_static_and_translations(wheel):
    names = set(wheel.namelist())
    assert "saleor_aftersales/migrations/0001_initial.py" in names
    assert any(n.startswith("saleor_aftersales/templates/saleor_aftersales/") for n in names)
    assert any(n.startswith("saleor_aftersales/static/saleor_aftersales/") for n in names)
    assert "saleor_aftersales/locale/de/LC_MESSAGES/django.mo" in names
    assert not any(n.startswith(("tests/", "demo/", "bench/")) for n in names)


def test_wheel_holds_no_stand_in_shop(wheel):
    """The sandbox shop (models, migrations, factories, host) serves the demo and the tests
    only: a Saleor deployment installs none of it."""
    code = [n for n in wheel.namelist() if n.endswith(".py")]
    assert code, "the wheel holds the package"
    assert not [n for n in code if "sandbox" in n]
    for name in code:
        source = wheel.read(name).decode()
        assert "aftersales_sandbox" not in source, name
        assert "from sandbox" not in source and "import sandbox" not in source, name


def test_wheel_declares_the_saleor_entry_point_and_no_saleor_dependency(wheel):
    dist_info = next(n.split("/")[0] for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert "[saleor.plugins]" in entry_points
    assert "saleor_aftersales = saleor_aftersales.plugin:AftersalesPlugin" in entry_points
    requires = [
        line.split(":", 1)[1].strip().lower()
        for line in wheel.read(f"{dist_info}/METADATA").decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    runtime = [r for r in requires if "extra ==" not in r]
    assert not any(
        r.split()[0].startswith("saleor") and not r.startswith("saleor-") for r in runtime
    )
    for needed in ("celery", "requests", "premailer", "graphene"):
        assert any(r.startswith(needed) for r in runtime), needed


def test_building_the_wheel_prints_no_setuptools_warning(tmp_path):
    """Templates, static files and translations are declared as package data, so setuptools
    does not warn about data folders it would otherwise ignore (150 lines before the demo)."""
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path),
         str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    log = result.stdout + result.stderr
    for noise in ("Package would be ignored", "SetuptoolsDeprecationWarning",
                  "is absent from the `packages` configuration"):
        assert noise not in log, noise
