"""Drive real Saleor flows (checkoutComplete, orderFulfill) through Saleor's GraphQL API."""

from __future__ import annotations

import graphene
from saleor.checkout import calculations
from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
from saleor.checkout.payment_utils import update_checkout_payment_statuses
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.manager import get_plugins_manager

CHECKOUT_COMPLETE = """
mutation checkoutComplete($id: ID, $redirectUrl: String) {
  checkoutComplete(id: $id, redirectUrl: $redirectUrl) {
    order { id number status }
    errors { field message code }
  }
}
"""

ORDER_FULFILL = """
mutation fulfillOrder($order: ID, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) {
    fulfillments { id trackingNumber }
    errors { field code message }
  }
}
"""


def pay_checkout(checkout, transaction_item_generator) -> None:
    """Charge the checkout's full total with a transaction, as a payment app would."""
    manager = get_plugins_manager(allow_replica=False)
    lines, _ = fetch_checkout_lines(checkout)
    info = fetch_checkout_info(checkout, lines, manager)
    total = calculations.calculate_checkout_total_with_gift_cards(manager, info, lines)
    transaction_item_generator(checkout_id=checkout.pk, charged_value=total.gross.amount)
    update_checkout_payment_statuses(
        checkout=info.checkout, checkout_total_gross=total.gross, checkout_has_lines=bool(lines)
    )


def complete_checkout(api_client, checkout) -> dict:
    """Run ``checkoutComplete``; return its payload (``order`` and ``errors``)."""
    response = api_client.post_graphql(
        CHECKOUT_COMPLETE,
        {"id": to_global_id_or_none(checkout), "redirectUrl": "https://www.example.com"},
    )
    return get_graphql_content(response)["data"]["checkoutComplete"]


def fulfill(staff_api_client, order, warehouse, tracking_number: str, lines=None) -> dict:
    """Run ``orderFulfill`` for ``lines`` (default: all) from ``warehouse``."""
    wh = graphene.Node.to_global_id("Warehouse", warehouse.pk)
    lines = list(lines if lines is not None else order.lines.all())
    variables = {
        "order": graphene.Node.to_global_id("Order", order.id),
        "input": {
            "notifyCustomer": False,
            "trackingNumber": tracking_number,
            "lines": [
                {
                    "orderLineId": graphene.Node.to_global_id("OrderLine", line.id),
                    "stocks": [{"quantity": line.quantity, "warehouse": wh}],
                }
                for line in lines
            ],
        },
    }
    response = staff_api_client.post_graphql(ORDER_FULFILL, variables)
    return get_graphql_content(response)["data"]["orderFulfill"]


# --- shopper-facing helpers (status page, emails) ----------------------------------------------


def status_path(order) -> str:
    """The signed status link of a Saleor order, as a path below Saleor's URL routing."""
    from saleor_aftersales.core.links import status_url
    from saleor_aftersales.hosts import get_host

    config = get_host().get_config(order.channel.slug)
    assert config is not None, "the plugin is not active in the order's channel"
    return status_url(str(order.pk), config)


def form_token(html: str, action_suffix: str) -> str:
    """The CSRF token of the page's form posting to ``…<action_suffix>``."""
    import re

    form = re.search(
        rf'<form[^>]*action="[^"]*{re.escape(action_suffix)}"[^>]*>(.*?)</form>', html, re.S
    )
    assert form, f"no form posting to {action_suffix}"
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(1))
    assert token, "the form carries no CSRF token"
    return token.group(1)


class SmtpServer:
    """A real SMTP server on loopback (aiosmtpd in a thread) that keeps what it accepts."""

    def __init__(self) -> None:
        import socket
        import threading

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.messages: list = []
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        import email
        from email.policy import default

        with self.lock:
            message = email.message_from_bytes(envelope.content, policy=default)
            message.envelope_to = list(envelope.rcpt_tos)
            self.messages.append(message)
        return "250 OK"

    def __enter__(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def message_parts(message) -> tuple[str, str]:
    """(text, html) of a multipart/alternative message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html
