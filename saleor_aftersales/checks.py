"""System checks (``aftersales.E001`` …) for settings the plugin cannot work without."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string


@register()
def check_settings(app_configs, **kwargs):
    """Report a host that cannot be imported, a missing shared cache, Redis without timeouts."""
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
    problems.extend(_redis_timeouts(settings.CACHES.get("default", {})))
    return problems


def _redis_timeouts(cache: dict) -> list[Warning]:
    """``aftersales.W002``: a Redis cache without connect and read timeouts can hang pages."""
    if "redis" not in cache.get("BACKEND", "").lower():
        return []
    options = cache.get("OPTIONS") or {}
    missing = [
        name for name in ("socket_connect_timeout", "socket_timeout")
        if not isinstance(options.get(name), int | float) or options[name] <= 0
    ]
    if not missing:
        return []
    return [
        Warning(
            f"The default cache (Redis) has no {' or '.join(missing)}: a Redis that accepts "
            "connections but never answers makes status pages and checkout hooks wait forever.",
            hint="Set CACHES['default']['OPTIONS'] = {'socket_connect_timeout': 1, "
            "'socket_timeout': 1} (seconds; Django's RedisCache passes them to redis-py, "
            "query parameters of Saleor's CACHE_URL do not reach it).",
            id="aftersales.W002",
        )
    ]
