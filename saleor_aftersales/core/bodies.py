"""Reading request bodies from outside: bounded size, bounded JSON nesting, clear errors.

Every JSON body the plugin accepts (widget API, GraphQL, carrier push) goes through
:func:`loads`: a body over its size limit raises :class:`BadBody` with status 413, one that
is not JSON, not UTF-8, holds a lone surrogate (``"\\ud800"``: no text column can store
it) or nests arrays/objects deeper than ``max_nesting`` raises it with status 400. Nesting
is measured on the raw bytes before parsing, so a hostile body never reaches the recursive
parser (which raises ``RecursionError``, a 500, near 1,000 levels).
The message is safe to show to the caller; ``web.security.rejects_bad_bodies`` turns it into
the widget API's JSON answer.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from django.http import HttpRequest, JsonResponse

MAX_NESTING = 32
MAX_JSON_BYTES = 64 * 1024
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class BadBody(ValueError):
    """A request body the plugin will not read; ``status`` is 400 or 413."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def response(self) -> JsonResponse:
        """``{"error": "bad_request"|"payload_too_large", "message": …}`` with the status."""
        code = "payload_too_large" if self.status == 413 else "bad_request"
        return JsonResponse({"error": code, "message": self.message}, status=self.status)


def nesting(body: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets in strings ignored)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(0, max(accumulate(_STEP[b] for b in brackets), default=0))


def read(request: HttpRequest, max_bytes: int) -> bytes:
    """The request body; :class:`BadBody` (413) when it is (or announces to be) too large."""
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > max_bytes:
        raise BadBody(f"The request body is larger than {max_bytes} bytes.", 413)
    body = request.body
    if len(body) > max_bytes:
        raise BadBody(f"The request body is larger than {max_bytes} bytes.", 413)
    return body


def loads(body: bytes | str, *, max_nesting: int = MAX_NESTING) -> Any:
    """Parse JSON; :class:`BadBody` (400) for anything that is not bounded, valid JSON."""
    raw = body.encode() if isinstance(body, str) else body
    if nesting(raw) > max_nesting:
        raise BadBody(f"The JSON body nests more than {max_nesting} levels deep.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadBody("The request body is not valid JSON.") from exc
    if b"\\u" in raw:  # only escapes can make lone surrogates, which UTF-8 cannot store
        try:
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError as exc:
            raise BadBody("The JSON body contains invalid Unicode (a lone surrogate).") from exc
    return data


def json_object(
    request: HttpRequest, *, max_bytes: int = MAX_JSON_BYTES, max_nesting: int = MAX_NESTING
) -> dict[str, Any]:
    """The request's JSON body as an object (an empty body is ``{}``); else :class:`BadBody`."""
    body = read(request, max_bytes)
    data = loads(body or b"{}", max_nesting=max_nesting)
    if not isinstance(data, dict):
        raise BadBody("The request body must be a JSON object.")
    return data
