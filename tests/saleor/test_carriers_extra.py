"""The ``[carriers]`` extra installs into Saleor 3.23's environment and imports alongside it.

Slow (a pip install, minutes): marked with Saleor's own ``slow`` marker, so it runs with
``--run-slow`` (``make test-saleor SALEOR_TESTS="--run-slow test_carriers_extra.py"``) or with
``AFTERSALES_TEST_INSTALL=1``. It needs no database. An overlay
virtualenv over Saleor's interpreter sees Saleor's installed packages (its site-packages is
added as a site directory, so Saleor's own editable install counts too), and pip installs
``.[carriers]`` into the overlay as it would into Saleor's environment: only what Saleor lacks
is installed, Saleor's environment is not touched.

Known overlap, asserted so that a change shows: karrio requires ``phonenumbers`` while Saleor
pins ``phonenumberslite``; both distributions ship the same ``phonenumbers`` package (the full
one adds geocoding, carrier and time-zone data). pip resolves both without complaint and
``pip check`` passes, but installed into one environment the full one's files replace the
lite one's (README, "Carriers extra").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [] if os.environ.get("AFTERSALES_TEST_INSTALL") == "1" else [pytest.mark.slow]


@pytest.fixture(scope="session")
def django_db_setup():
    """No test database here: these tests install and import, nothing more."""


@pytest.fixture
def site_settings():
    """Saleor's autouse fixtures that write to the database: not needed here."""


@pytest.fixture
def default_tax_class():
    """As above."""


@pytest.fixture
def default_customer_type():
    """As above."""


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)


@pytest.fixture(scope="module")
def overlay(tmp_path_factory) -> Path:
    """A venv over Saleor's interpreter that sees Saleor's packages, with ``.[carriers]``."""
    venv = tmp_path_factory.mktemp("carriers") / "venv"
    made = _run(sys.executable, "-m", "venv", "--system-site-packages", str(venv))
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = _run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    saleor_site = sysconfig.get_path("purelib")  # Saleor's environment (this interpreter's)
    (Path(purelib.stdout.strip()) / "_saleor_environment.pth").write_text(
        f"import site; site.addsitedir({saleor_site!r})\n"
    )
    installed = _run(str(python), "-m", "pip", "install", "--quiet", f"{ROOT}[carriers]")
    assert installed.returncode == 0, installed.stderr[-3000:]
    return python


def test_pip_check_finds_no_conflict(overlay):
    checked = _run(str(overlay), "-m", "pip", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No broken requirements found" in checked.stdout


def test_only_what_saleor_lacks_was_installed(overlay):
    """Saleor's Django, requests, lxml, Pillow … are used as they are, not reinstalled."""
    purelib = Path(
        _run(
            str(overlay), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"
        ).stdout.strip()
    )
    names = {p.name.split("-")[0].lower() for p in purelib.glob("*.dist-info")}
    assert {"karrio", "saleor_aftersales"} <= names
    assert not names & {"django", "requests", "lxml", "pillow", "celery", "attrs"}


def test_saleor_karrio_and_our_provider_import_together(overlay):
    script = textwrap.dedent(
        """
        import json, os
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor.tests.settings")
        import django
        django.setup()
        import saleor, karrio.sdk
        from importlib import metadata
        from phonenumber_field.phonenumber import PhoneNumber
        from saleor_aftersales.tracking.carriers import karrio_client
        missing = [n for n in karrio_client.PACKAGES if not karrio_client.installed(n)]
        def owners(dist):
            return any(str(f) == "phonenumbers/__init__.py" for f in metadata.files(dist) or ())
        print(json.dumps({
            "saleor": saleor.__version__,
            "missing": missing,
            "karrio": metadata.version("karrio"),
            "phone_valid": PhoneNumber.from_string("+49 30 901820").is_valid(),
            "both_own_phonenumbers": owners("phonenumbers") and owners("phonenumberslite"),
        }))
        """
    )
    ran = _run(str(overlay), "-c", script, cwd=ROOT / "tests" / "saleor")
    assert ran.returncode == 0, ran.stderr[-3000:]
    found = json.loads(ran.stdout.strip().splitlines()[-1])
    assert found["saleor"].startswith("3.23")
    assert found["missing"] == []  # every extension our provider maps is importable
    assert found["phone_valid"]  # Saleor's phone fields still validate
    assert found["both_own_phonenumbers"]  # the documented overlap (see the docstring)
