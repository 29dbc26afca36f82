"""Fixtures of the endpoints under fuzz, and the text strategies every module uses."""

from hypothesis import strategies as st

from tests.graphql.conftest import gql  # noqa: F401
from tests.tracking.conftest import _fresh_circuits, carrier_server, tracking_channel  # noqa: F401
from tests.web.conftest import config, shipped_order  # noqa: F401

#: Text a hostile or careless sender produces: NUL and other controls, surrogates escaped
#: in JSON, combining marks, RTL and zero-width characters, emoji, very long runs.
ODD = st.sampled_from(
    ["\x00", "\x1b", "\x7f", "\u0085", "\u200b", "\u202e", "\ufeff", "\u0301", "\U0001f4e6",
     "\ud800", "\udfff", "\r\n", "ß", "İ", "Ａ", "٣", "<script>", "'\"", "%00", "\\"]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(ODD, st.text(max_size=5)), max_size=12).map("".join),
)
#: :data:`TEXT` as PostgreSQL or a bounded JSON body (``web.bodies``) can deliver it: no lone
#: surrogates (neither can hold them; JSON bodies with them are refused with a 400).
STORED_TEXT = TEXT.map(lambda s: "".join(c for c in s if not "\ud800" <= c <= "\udfff"))
