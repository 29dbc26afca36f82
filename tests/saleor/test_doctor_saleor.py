"""``aftersales_doctor`` inside Saleor: Saleor's channels, Saleor's Celery app and settings."""

from __future__ import annotations

import io
import socket

import pytest
from django.core.management import call_command

from saleor_aftersales.beat import BEAT_SCHEDULE


def test_doctor_reports_saleors_channels_and_its_missing_broker(set_config, channel_PLN):
    with socket.socket() as s:  # DHL on a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    set_config(dhl_api_url=f"http://127.0.0.1:{port}/track/shipments")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("aftersales_doctor", "--timeout", "1", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert exit_.value.code == 1
    assert "OK   migrations: all applied" in text
    # Saleor's own Celery app has our entries, without any edit to Saleor's settings
    assert f"OK   beat: {len(BEAT_SCHEDULE)} entries scheduled" in text
    assert "FAIL broker: none configured" in text  # Saleor's tests run tasks eagerly
    assert "OK   [main] configuration: valid" in text
    assert "FAIL [main] carrier dhl: API not usable now" in text


CHANNEL_ROUTES = "saleor_aftersales.web.middleware.ChannelRoutes"


def test_doctor_tells_how_the_plugins_routes_are_served(aftersales, settings):
    from django.utils.module_loading import import_string

    from saleor_aftersales.operations import doctor
    from saleor_aftersales.web.middleware import ChannelRoutes

    assert import_string(doctor.CHANNEL_ROUTES) is ChannelRoutes  # the doctor names the class
    hint = doctor.check_routing()
    assert hint.ok and "Saleor's plugin routing" in hint.text and CHANNEL_ROUTES in hint.text
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, CHANNEL_ROUTES]
    assert str(doctor.check_routing()) == (
        "OK   routing: the ChannelRoutes middleware answers the plugin's routes"
    )
    settings.MIDDLEWARE = [CHANNEL_ROUTES, *settings.MIDDLEWARE[:-1]]
    misplaced = doctor.check_routing()
    assert not misplaced.ok and "not last in MIDDLEWARE" in misplaced.text
