"""Django app: system checks and the Celery beat schedule."""

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
