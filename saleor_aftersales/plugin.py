"""The Saleor shim: configuration form, validation and a map from hook to task.

Every hook returns ``previous_value`` and never raises. Its only work in the shopper's request:
one outbox row with IDs in Saleor's transaction, and a publish to the broker after commit that
gives up within ``AFTERSALES_PUBLISH_TIMEOUT`` (the outbox sweep runs what was not published;
see ``core.enqueue`` and ``core.outbox``). Signatures follow
Saleor 3.23's ``saleor/plugins/manager.py`` (keyword ``previous_value`` last).
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotFound
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField
from saleor.plugins.error_codes import PluginErrorCode

from .config import FIELDS, AftersalesConfig, parse_config, validate_config
from .core.enqueue import enqueue_on_commit
from .core.ids import PLUGIN_ID

logger = logging.getLogger(__name__)


#: The one entry of Saleor's plugin form: a read-only pointer to the settings page.
SETTINGS_POINTER = "aftersales_settings_page"


def _default(value: Any) -> Any:
    return value if isinstance(value, bool) else str(value)


def _complete(configuration: Any) -> list[dict]:
    """A stored configuration as ``[{"name", "value"}]`` copies, one per ``config.FIELDS``
    entry (stored value, else the default), then any other stored names unchanged."""
    stored = {
        item["name"]: item.get("value")
        for item in (configuration or [])
        if isinstance(item, dict) and "name" in item
    }
    names = {f.name for f in FIELDS}
    items = [{"name": f.name, "value": stored.get(f.name, _default(f.default))} for f in FIELDS]
    return items + [{"name": k, "value": v} for k, v in stored.items() if k not in names]


class AftersalesPlugin(BasePlugin):
    PLUGIN_ID = PLUGIN_ID  # reverse-DNS, stable across releases
    PLUGIN_NAME = "Aftersales"
    PLUGIN_DESCRIPTION = (
        "Post-purchase experience: delivery timeline, shipment tracking, status page, "
        "buy again, FAQ, review prompts and branded emails."
    )
    CONFIGURATION_PER_CHANNEL = True
    # Active by default so the shop owner finds it under Extensions → Installed right after
    # installing; outbound messages stay off (emails_enabled/sms_enabled default False).
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = [{"name": f.name, "value": _default(f.default)} for f in FIELDS]
    # Saleor's plugin form shows only what must live there: its own on/off switch (the row's
    # ``active``) and where the settings are. Every value of ``config.FIELDS`` stays stored in
    # the same ``PluginConfiguration`` row (the Aftersales page's Settings tab writes it
    # through Saleor's save path; ``pluginUpdate`` still accepts every name), secrets included,
    # which thus never reach Saleor's form, not even their last four characters.
    CONFIG_STRUCTURE = {
        SETTINGS_POINTER: {
            "type": ConfigurationTypeField.OUTPUT,
            "label": "Aftersales settings",
            "help_text": (
                "Every setting is on the Aftersales page (Orders → Aftersales → Settings). "
                "Install the Aftersales app once from this manifest URL (Extensions → "
                "Install from manifest URL) or with manage.py aftersales_install_app."
            ),
        },
    }

    def get_plugin_configuration(self, configuration: Any) -> list[dict]:
        """Every field of ``config.FIELDS`` with its stored value (defaults for the rest).

        Saleor's own version keeps only ``CONFIG_STRUCTURE`` names; ours must keep them all.
        """
        return _complete(configuration)

    @classmethod
    def _append_config_structure(cls, configuration: Any) -> None:
        """Saleor calls this after a save; its version drops names outside the form."""

    @classmethod
    def _update_config_items(
        cls, configuration_to_update: list[dict], current_config: list[dict]
    ) -> None:
        """Saleor's update, over a row that carries every field first: Saleor's version
        ignores names outside ``CONFIG_STRUCTURE`` that the row does not hold yet."""
        held = {item.get("name") for item in current_config}
        current_config.extend(item for item in _complete([]) if item["name"] not in held)
        super()._update_config_items(configuration_to_update, current_config)

    def resolve_plugin_configuration(self, request: Any) -> list[dict]:
        """Saleor's form: only ``CONFIG_STRUCTURE`` (the pointer, with the manifest URL)."""
        try:
            url = request.build_absolute_uri(f"/plugins/{PLUGIN_ID}/dashboard/manifest.json")
        except Exception:
            url = f"/plugins/{PLUGIN_ID}/dashboard/manifest.json"
        return [{"name": SETTINGS_POINTER, "value": url, **self.CONFIG_STRUCTURE[SETTINGS_POINTER]}]

    @cached_property
    def config(self) -> AftersalesConfig:
        """The typed configuration, parsed on first use: Saleor builds every plugin of a
        channel for each request that loads plugins, most of which never read ours."""
        return parse_config(
            self.configuration,
            channel_slug=self.channel.slug if self.channel else "",
            active=self.active,
        )

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration: Any, **kwargs: Any) -> None:
        """Raise field-keyed errors (code ``invalid``) for values a shop owner must fix."""
        errors = validate_config(plugin_configuration.configuration)
        if errors:
            raise ValidationError(
                {
                    name: ValidationError(message, code=PluginErrorCode.INVALID.value)
                    for name, message in errors.items()
                }
            )

    # --- hooks ------------------------------------------------------------------------------

    def _order_event(self, event: str, order: Any) -> None:
        try:
            if not self.active:
                return
            from .tasks import handle_order_event_task

            order_id = str(order.pk)
            enqueue_on_commit(handle_order_event_task, order_id, event, log_ref=order_id)
        except Exception:
            logger.exception(
                "aftersales: %s hook failed for order %s", event, getattr(order, "pk", "?")
            )

    def _fulfillment_event(self, event: str, fulfillment: Any) -> None:
        try:
            if not self.active:
                return
            from .tasks import handle_fulfillment_event_task

            order_id = str(fulfillment.order_id)
            enqueue_on_commit(
                handle_fulfillment_event_task,
                str(fulfillment.pk),
                event,
                order_id,
                log_ref=order_id,
            )
        except Exception:
            logger.exception(
                "aftersales: %s hook failed for order %s",
                event,
                getattr(fulfillment, "order_id", "?"),
            )

    def order_created(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_created", order)
        return previous_value

    def order_confirmed(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_confirmed", order)
        return previous_value

    def order_paid(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_paid", order)
        return previous_value

    def order_fully_paid(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_fully_paid", order)
        return previous_value

    def order_updated(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_updated", order)
        return previous_value

    def order_metadata_updated(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        """Metadata the page reads (marketing consent) changed: drop the order's cached view.

        No task: a cache delete after commit, which never raises.
        """
        try:
            if self.active:
                from .status import cache as status_cache

                status_cache.forget([order.pk])
        except Exception:
            logger.exception("aftersales: order_metadata_updated hook failed")
        return previous_value

    def order_fulfilled(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_fulfilled", order)
        return previous_value

    def order_cancelled(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_cancelled", order)
        return previous_value

    def order_refunded(self, order: Any, previous_value: Any, webhooks: Any = None) -> Any:
        self._order_event("order_refunded", order)
        return previous_value

    def fulfillment_created(
        self,
        fulfillment: Any,
        notify_customer: bool | None = True,
        calculate_stocks_with_shipping_zones: bool = True,
        previous_value: Any = None,
    ) -> Any:
        self._fulfillment_event("fulfillment_created", fulfillment)
        return previous_value

    def fulfillment_approved(
        self,
        fulfillment: Any,
        notify_customer: bool | None = True,
        calculate_stocks_with_shipping_zones: bool = True,
        previous_value: Any = None,
    ) -> Any:
        self._fulfillment_event("fulfillment_approved", fulfillment)
        return previous_value

    def fulfillment_canceled(
        self,
        fulfillment: Any,
        calculate_stocks_with_shipping_zones: bool = True,
        previous_value: Any = None,
    ) -> Any:
        self._fulfillment_event("fulfillment_canceled", fulfillment)
        return previous_value

    def tracking_number_updated(self, fulfillment: Any, previous_value: Any = None) -> Any:
        self._fulfillment_event("tracking_number_updated", fulfillment)
        return previous_value

    def webhook(self, request: Any, path: str, previous_value: Any) -> HttpResponse:
        """Serve the plugin's channel route: status page, widget, API, carrier push; and,
        on the global route ``/plugins/<PLUGIN_ID>/dashboard/…``, the dashboard app's pages."""
        if (path or "").startswith("/dashboard") and "/plugins/channel/" not in request.path:
            try:
                from .dashboard.routes import dispatch as dashboard_dispatch

                return dashboard_dispatch(request, path)
            except Exception:
                logger.exception("aftersales: dashboard route %s failed", path)
                return HttpResponse(
                    "Temporarily unavailable", status=503, content_type="text/plain"
                )
        if not self.active or not self.channel:
            return HttpResponseNotFound("Not found", content_type="text/plain")
        try:
            from .web.routes import dispatch

            return dispatch(request, path, self.config)
        except Exception:
            logger.exception("aftersales: route %s failed", path)
            return HttpResponse("Temporarily unavailable", status=503, content_type="text/plain")
