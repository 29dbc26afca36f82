"""Fixtures of the areas under attack, shared with their own test packages."""

from tests.graphql.conftest import gql  # noqa: F401
from tests.tracking.conftest import _fresh_circuits, carrier_server, tracking_channel  # noqa: F401
from tests.web.conftest import config, shipped_order  # noqa: F401
