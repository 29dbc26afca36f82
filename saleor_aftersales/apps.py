"""Django app: system checks, status-cache and deletion signals, tracking news → notifications."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "saleor_aftersales"
    label = "saleor_aftersales"
    verbose_name = _("Aftersales")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
        from .beat import connect
        from .notifications import rules
        from .retention import deletion
        from .returns import way_back
        from .status import cache as status_cache

        connect()  # our periodic tasks in the Celery app's beat schedule (no settings edit)
        status_cache.connect_signals()
        deletion.connect_signals()  # a deleted order is forgotten (rows, cached views)
        rules.connect_signals()  # tracking's news (status, delivered, problem) → messages
        way_back.connect_signals()  # a return parcel's news moves its return on
