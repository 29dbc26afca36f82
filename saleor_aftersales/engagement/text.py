"""Free text from shoppers, cleaned at the boundary before it is stored.

PostgreSQL rejects NUL in text columns (a ``DataError``, i.e. a 500) and UTF-8 cannot encode
lone surrogates that JSON's ``\\ud800`` escapes produce; other control characters only hide
or garble text. :func:`clean` removes them all, keeping line breaks and tabs where asked.
"""

from __future__ import annotations

import unicodedata

_KEEP_MULTILINE = frozenset("\n\t")


def clean(value: object, *, multiline: bool = False) -> str:
    """``value`` as text without control characters (Cc) and lone surrogates (Cs).

    ``\\r\\n`` and ``\\r`` become ``\\n``; with ``multiline`` newlines and tabs stay, else
    they become spaces. Anything else is kept as sent (letters, emoji, RTL text…).
    """
    text = str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n")
    keep = _KEEP_MULTILINE if multiline else frozenset()
    out = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            if char in keep:
                out.append(char)
            elif char in "\n\t":
                out.append(" ")
        elif category != "Cs":
            out.append(char)
    return "".join(out)
