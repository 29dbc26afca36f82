"""Pytest plugin for ``make test-saleor-peer``: Saleor's own suites with our plugin active.

Loaded with ``-p aftersales_peer`` from Saleor's source directory, under Saleor's own pytest
configuration. Saleor's test settings start from ``PLUGINS = []`` and many tests (or their
fixtures) replace ``PLUGINS`` again; this plugin appends ours at start-up and after every
such replacement (``settings.PLUGINS = …`` and ``@override_settings``), so it is loaded by
every plugin manager of every test. It has no configuration row in these tests, so Saleor
runs it with ``DEFAULT_ACTIVE`` (on) and its default configuration, in every channel: what a
shop gets right after installing it. Our ``ChannelRoutes`` middleware is listed last in
``MIDDLEWARE``, as the README recommends for production, so every request of these suites
passes through it.

The run fails if our plugin was never loaded or no request passed our middleware, so "green"
cannot mean "not loaded".
"""

from __future__ import annotations

import pytest

PLUGIN_PATH = "saleor_aftersales.plugin.AftersalesPlugin"
CHANNEL_ROUTES = "saleor_aftersales.web.middleware.ChannelRoutes"
_calls = {"hooks": 0, "loaded": 0, "passed": 0}
# Tests of Saleor's plugin manager that assert it holds exactly the plugins they configured
# (``len(plugins) == 1``): with ours added they count one more, by construction. They keep
# their own PLUGINS; everything else they check is unaffected by ours.
EXACT_PLUGIN_LIST_TESTS = frozenset(
    {
        "saleor/plugins/tests/test_manager.py::test_manager_with_default_configuration_for_channel_plugins",
        "saleor/plugins/tests/test_manager.py::test_manager_with_channel_plugins",
        "saleor/plugins/tests/test_manager.py::test_manager_get_active_plugins_with_channel_slug",
    }
)
_state = {"exact": False}


def _with_ours(plugins: list[str] | tuple[str, ...] | None) -> list[str]:
    plugins = list(plugins or [])
    if PLUGIN_PATH not in plugins:
        plugins.append(PLUGIN_PATH)
    return plugins


def _keep_ours(*, setting: str, enter: bool, **kwargs) -> None:
    """A test replaced ``PLUGINS``: add ours to its list (restoring needs nothing)."""
    if setting == "PLUGINS" and enter and not _state["exact"]:
        from django.conf import settings

        if PLUGIN_PATH not in settings.PLUGINS:
            settings.PLUGINS = _with_ours(settings.PLUGINS)


def _count_hook_calls() -> None:
    """Count our plugin's instances (one per manager that loads it) and its order hooks."""
    from saleor_aftersales.plugin import AftersalesPlugin

    init = AftersalesPlugin.__init__

    def counted_init(self, *args, **kwargs):
        _calls["loaded"] += 1
        init(self, *args, **kwargs)

    AftersalesPlugin.__init__ = counted_init
    for name in ("_order_event", "_fulfillment_event"):
        original = getattr(AftersalesPlugin, name)

        def counted(self, *args, _original=original, **kwargs):
            _calls["hooks"] += 1
            return _original(self, *args, **kwargs)

        setattr(AftersalesPlugin, name, counted)

    from saleor_aftersales.web import middleware

    match = middleware.CHANNEL_ROUTE.match

    class CountingPattern:  # the middleware's path check: once per request through it
        @staticmethod
        def match(path: str):
            _calls["passed"] += 1
            return match(path)

    middleware.CHANNEL_ROUTE = CountingPattern()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _state["exact"] = item.nodeid.split("[")[0] in EXACT_PLUGIN_LIST_TESTS


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.test.signals import setting_changed

    settings.PLUGINS = _with_ours(settings.PLUGINS)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, CHANNEL_ROUTES]
    setting_changed.connect(_keep_ours, dispatch_uid="aftersales-peer-plugins")
    _count_hook_calls()
    config.aftersales_calls = {"hooks": 0, "loaded": 0, "passed": 0}  # summed over xdist workers


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: report to the controller
        workeroutput["aftersales_calls"] = dict(_calls)
        return
    for key, value in _calls.items():
        config.aftersales_calls[key] += value
    never = 0 in (config.aftersales_calls["loaded"], config.aftersales_calls["passed"])
    if never and session.exitstatus == 0 and session.testscollected:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # green must not mean "not loaded"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    for key, value in node.workeroutput.get("aftersales_calls", {}).items():
        node.config.aftersales_calls[key] += value


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if getattr(config, "workeroutput", None) is None:
        calls = config.aftersales_calls
        terminalreporter.write_line(
            f"aftersales plugin active: loaded {calls['loaded']} times, "
            f"{calls['hooks']} order/fulfillment hook calls; {calls['passed']} requests "
            f"through its ChannelRoutes middleware"
            + ("" if calls["loaded"] else " -- never loaded!")
            + ("" if calls["passed"] else " -- the middleware saw no request!")
        )
