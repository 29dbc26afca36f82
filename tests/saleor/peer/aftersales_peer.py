"""Pytest plugin for ``make test-saleor-peer``: Saleor's own suites with our plugin active.

Loaded with ``-p aftersales_peer`` from Saleor's source directory, under Saleor's own pytest
configuration. Saleor's test settings start from ``PLUGINS = []`` and many tests (or their
fixtures) replace ``PLUGINS`` again; this plugin appends ours at start-up and after every
such replacement (``settings.PLUGINS = …`` and ``@override_settings``), so it is loaded by
every plugin manager of every test. It has no configuration row in these tests, so Saleor
runs it with ``DEFAULT_ACTIVE`` (on) and its default configuration, in every channel: what a
shop gets right after installing it.

The run fails if our hooks were never called, so "green" cannot mean "not loaded".
"""

from __future__ import annotations

import pytest

PLUGIN_PATH = "saleor_aftersales.plugin.AftersalesPlugin"
_calls = {"hooks": 0}


def _with_ours(plugins: list[str] | tuple[str, ...] | None) -> list[str]:
    plugins = list(plugins or [])
    if PLUGIN_PATH not in plugins:
        plugins.append(PLUGIN_PATH)
    return plugins


def _keep_ours(*, setting: str, enter: bool, **kwargs) -> None:
    """A test replaced ``PLUGINS``: add ours to its list (restoring needs nothing)."""
    if setting == "PLUGINS" and enter:
        from django.conf import settings

        if PLUGIN_PATH not in settings.PLUGINS:
            settings.PLUGINS = _with_ours(settings.PLUGINS)


def _count_hook_calls() -> None:
    from saleor_aftersales.plugin import AftersalesPlugin

    for name in ("_order_event", "_fulfillment_event"):
        original = getattr(AftersalesPlugin, name)

        def counted(self, *args, _original=original, **kwargs):
            _calls["hooks"] += 1
            return _original(self, *args, **kwargs)

        setattr(AftersalesPlugin, name, counted)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.test.signals import setting_changed

    settings.PLUGINS = _with_ours(settings.PLUGINS)
    setting_changed.connect(_keep_ours, dispatch_uid="aftersales-peer-plugins")
    _count_hook_calls()
    config.aftersales_hook_calls = 0  # summed over xdist workers on the controller


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: report to the controller
        workeroutput["aftersales_hook_calls"] = _calls["hooks"]
        return
    config.aftersales_hook_calls += _calls["hooks"]
    if config.aftersales_hook_calls == 0 and session.exitstatus == 0 and session.testscollected:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # green must not mean "not loaded"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    node.config.aftersales_hook_calls += node.workeroutput.get("aftersales_hook_calls", 0)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if getattr(config, "workeroutput", None) is None:
        calls = config.aftersales_hook_calls
        terminalreporter.write_line(
            f"aftersales plugin active: {calls} hook calls"
            + ("" if calls else " -- the plugin was never called: not loaded?")
        )
