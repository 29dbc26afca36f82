"""Pick the host the plugin runs in (setting ``AFTERSALES_HOST``, a dotted class path)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Host

SALEOR_HOST = "saleor_aftersales.hosts.saleor.SaleorHost"
SANDBOX_HOST = "sandbox.host.SandboxHost"


def default_host_path() -> str:
    """Saleor's host where Saleor is installed, else the sandbox."""
    configured = getattr(settings, "AFTERSALES_HOST", "")
    if configured:
        return configured
    if "saleor.order" in settings.INSTALLED_APPS:
        return SALEOR_HOST
    return SANDBOX_HOST


@cache
def _load(path: str) -> Host:
    return import_string(path)()


def get_host() -> Host:
    """The process-wide host instance (created once per configured path)."""
    return _load(default_host_path())


@contextlib.contextmanager
def task_scope() -> Iterator[None]:
    """Run a task body in the host's scope (Saleor: ``allow_writer()``); a no-op elsewhere."""
    scope = getattr(get_host(), "task_scope", None)
    if scope is None:
        yield
        return
    with scope():
        yield
