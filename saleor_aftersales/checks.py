"""System checks (``aftersales.E001`` …) for settings the plugin cannot work without."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string


@register()
def check_settings(app_configs, **kwargs):
    """Report a host that cannot be imported and a missing shared cache."""
    problems = []
    host = getattr(settings, "AFTERSALES_HOST", "")
    if host:
        try:
            import_string(host)
        except ImportError as exc:
            problems.append(
                Error(
                    f"AFTERSALES_HOST {host!r} cannot be imported: {exc}",
                    hint="Use saleor_aftersales.hosts.saleor.SaleorHost inside Saleor.",
                    id="aftersales.E001",
                )
            )
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")) and not settings.DEBUG:
        problems.append(
            Warning(
                "The default cache is per process; carrier circuit breakers and rate limits "
                "are then not shared between workers.",
                hint="Configure a shared cache (Redis) as CACHES['default'].",
                id="aftersales.W001",
            )
        )
    return problems
