"""Security regression checklist (issue 13, part 6): one module per area, each module's
docstring lists the attacks it exercises.

- ``test_links.py``: status links bare, tampered, expired, cross-channel, other purpose.
- ``test_gate.py``: the postcode/email gate: brute force, spoofed forwarding headers,
  counters shared across page, widget and GraphQL.
- ``test_csrf.py``: page forms without, with forged and with foreign-origin tokens,
  ``Origin: null``.
- ``test_xss.py``: every field a shop owner, carrier or shopper controls, in Chromium.
- ``test_redirects.py``: open redirects (userinfo, backslashes, ``javascript:``).
- ``test_webhooks.py``: signature, replay, order, size, content type, nesting.
- ``test_graphql.py``: depth, aliases, fragments, variables, introspection.
- ``test_unsubscribe.py``: tampered, cross-channel, GET against one-click POST.
- ``test_inputs.py``: hostile bodies and text (L2): NUL and control characters, deep JSON.
"""
