"""``aftersales_doctor``: is everything the plugin needs in place? One line per check.

Process-wide: migrations, the cache, the broker, a worker answering a ping (and knowing our
tasks), our beat entries, and under Saleor how the plugin's routes are served (the
``ChannelRoutes`` middleware, or a hint to add it). Per active channel: the configuration,
the SMTP server (when the channel has its own), the text-message provider (when on; its
account read back, nothing sent) and each configured tracking API, with one cheap
authenticated call (a made-up tracking number: "not found" proves the key works, 401/403
that it does not). Each :class:`Line` says OK, or what to fix; nothing here raises.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from ..beat import BEAT_SCHEDULE
from ..config import FIELDS, AftersalesConfig, validate_config
from ..core.shared_cache import cache
from ..hosts import get_host
from ..hosts.channels import channel_slugs

APP_LABEL = "saleor_aftersales"
TEST_NUMBER = "00340000000000000000"  # well-formed, never issued


@dataclass(frozen=True)
class Line:
    ok: bool
    topic: str
    text: str
    channel: str = ""

    def __str__(self) -> str:
        where = f"[{self.channel}] " if self.channel else ""
        return f"{'OK  ' if self.ok else 'FAIL'} {where}{self.topic}: {self.text}"


def _redact(url: str) -> str:
    parts = urlsplit(url or "")
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def check_migrations() -> Line:
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return Line(False, "migrations", f"cannot read them ({exc}): check the database")
    missing = [m.name for m, backwards in plan if m.app_label == APP_LABEL and not backwards]
    if missing:
        return Line(
            False,
            "migrations",
            f"{', '.join(missing)} not applied: run `manage.py migrate {APP_LABEL}`",
        )
    return Line(True, "migrations", "all applied")


def check_cache() -> Line:
    key = f"aftersales-doctor-{secrets.token_hex(4)}"
    try:
        cache.set(key, "1", timeout=30)
        found = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return Line(False, "cache", f"unreachable ({exc}): check CACHES['default'] (Redis)")
    if found != "1":
        return Line(
            False,
            "cache",
            "a value written was not read back: use a shared cache "
            "such as Redis in CACHES['default']",
        )
    return Line(True, "cache", "writes and reads")


def check_celery(timeout: float = 3.0) -> list[Line]:
    """The broker, a worker that answers a ping and knows our tasks, our beat entries."""
    from celery import current_app

    app = current_app._get_current_object()
    lines = [_beat_entries(app)]
    if app.conf.task_always_eager:
        lines.append(
            Line(
                False,
                "broker",
                "none configured: tasks run inside requests. Set "
                "CELERY_BROKER_URL and start a worker",
            )
        )
        return lines
    url = ""
    try:
        with app.connection_for_write() as conn:
            url = conn.as_uri()  # the broker actually used, password masked
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:
        lines.append(
            Line(
                False,
                "broker",
                f"{url} unreachable ({exc}): fix CELERY_BROKER_URL or start the broker",
            )
        )
        return lines
    lines.append(Line(True, "broker", f"{url} reachable"))
    lines.append(_worker(app, timeout))
    return lines


def _beat_entries(app) -> Line:
    app.finalize(auto=True)  # as `celery beat` does before it reads the schedule
    missing = sorted(set(BEAT_SCHEDULE) - set(app.conf.beat_schedule or {}))
    if missing:
        return Line(
            False,
            "beat",
            f"entries missing: {', '.join(missing)}: is "
            f"'{APP_LABEL}' in INSTALLED_APPS of the beat process?",
        )
    return Line(True, "beat", f"{len(BEAT_SCHEDULE)} entries scheduled")


def _worker(app, timeout: float) -> Line:
    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception as exc:
        return Line(False, "worker", f"ping failed ({exc})")
    if not replies:
        return Line(
            False,
            "worker",
            f"no worker answered within {timeout:g} s: start `celery -A <app> worker`",
        )
    names = sorted(name for reply in replies for name in reply)
    try:
        registered = app.control.inspect(timeout=timeout, destination=names).registered() or {}
    except Exception:
        registered = {}
    ours = "saleor_aftersales.tasks.sweep_outbox_task"
    if registered and not any(ours in " ".join(tasks) for tasks in registered.values()):
        return Line(
            False,
            "worker",
            f"{', '.join(names)} answered but lacks our tasks: "
            "restart it after installing the plugin",
        )
    return Line(True, "worker", f"{', '.join(names)} answered")


def check_configuration(config: AftersalesConfig) -> Line:
    values = {f.name: getattr(config, f.name) for f in FIELDS if hasattr(config, f.name)}
    errors = validate_config(values)
    if config.emails_enabled and not config.sender_email:
        errors["sender_email"] = "Sender email: required when emails are on."
    if errors:
        return Line(False, "configuration", " ".join(errors.values()), config.channel_slug)
    return Line(True, "configuration", "valid", config.channel_slug)


def check_smtp(config: AftersalesConfig, timeout: float = 5.0) -> Line | None:
    if not config.smtp_url:
        return None
    from ..notifications.channels import smtp_connection

    url = _redact(config.smtp_url)
    try:
        backend = smtp_connection(config.smtp_url, timeout=timeout)
        backend.open()
        backend.close()
    except Exception as exc:
        return Line(
            False,
            "smtp",
            f"{url}: {exc.__class__.__name__}: {exc}: fix smtp_url",
            config.channel_slug,
        )
    return Line(True, "smtp", f"{url} accepts us", config.channel_slug)


def check_sms(config: AftersalesConfig, timeout: float = 5.0) -> Line | None:
    """The text-message provider's keys, read back without sending (when SMS is on)."""
    from ..core.exceptions import ConfigurationError
    from ..notifications.channels import DeliveryError, text_provider

    try:
        provider = text_provider(config)
        if provider is None:
            return None
        said = provider.check(timeout)
    except ConfigurationError as exc:
        return Line(False, "sms", f"{exc}: fix the sms_* settings", config.channel_slug)
    except DeliveryError as exc:
        fix = "fix sms_account_sid / sms_auth_token" if not exc.transient else "try again later"
        return Line(False, "sms", f"{exc}: {fix}", config.channel_slug)
    return Line(True, "sms", f"credentials accepted ({said})", config.channel_slug)


def check_carriers(config: AftersalesConfig) -> list[Line]:
    from ..tracking.carriers import CLIENTS
    from ..tracking.carriers.base import CarrierError

    lines = []
    for cls in CLIENTS:
        client = cls(config)
        if not client.configured():
            continue
        carrier = sorted(client.carriers)[0] if client.carriers else "dhl"
        topic = f"carrier {client.source}"
        try:
            client.track(carrier, TEST_NUMBER)
        except CarrierError as exc:
            status = getattr(exc, "status_code", None)
            if status in (401, 403):
                text = f"credentials refused (HTTP {status}): fix the {client.source} API key"
                lines.append(Line(False, topic, text, config.channel_slug))
            elif status is None or status >= 500 or status == 429:
                lines.append(Line(False, topic, f"API not usable now: {exc}", config.channel_slug))
            else:  # the key was accepted; the made-up number was not
                lines.append(
                    Line(True, topic, f"credentials accepted (HTTP {status})", config.channel_slug)
                )
            continue
        except Exception as exc:
            lines.append(Line(False, topic, f"check failed: {exc}", config.channel_slug))
            continue
        lines.append(Line(True, topic, "credentials accepted", config.channel_slug))
    return lines


CHANNEL_ROUTES = "saleor_aftersales.web.middleware.ChannelRoutes"


def check_routing() -> Line | None:
    """Under Saleor: whether our ``ChannelRoutes`` middleware answers the plugin's routes
    (listed last in ``MIDDLEWARE``), else a hint; ``None`` on other hosts."""
    if get_host().name != "saleor":
        return None
    middleware = list(getattr(settings, "MIDDLEWARE", ()))
    if CHANNEL_ROUTES not in middleware:
        return Line(
            True,
            "routing",
            "the status page, widget and API go through Saleor's plugin routing; for about "
            f"twice the throughput add {CHANNEL_ROUTES} last to MIDDLEWARE (README, install)",
        )
    if middleware[-1] != CHANNEL_ROUTES:
        return Line(
            False,
            "routing",
            f"{CHANNEL_ROUTES} is not last in MIDDLEWARE: the middleware after it never sees "
            "the plugin's requests; move it to the end",
        )
    return Line(True, "routing", "the ChannelRoutes middleware answers the plugin's routes")


def run(timeout: float = 3.0) -> list[Line]:
    """Every check, process-wide first, then per active channel."""
    lines = [check_migrations(), check_cache(), *check_celery(timeout)]
    routing = check_routing()
    if routing is not None:
        lines.append(routing)
    host = get_host()
    for slug in channel_slugs():
        config = host.get_config(slug)
        if config is None:
            lines.append(Line(True, "plugin", "not active here (nothing to check)", slug))
            continue
        lines.append(check_configuration(config))
        smtp = check_smtp(config)
        sms = check_sms(config)
        lines.extend(line for line in (smtp, sms) if line is not None)
        lines.extend(check_carriers(config))
    return lines
