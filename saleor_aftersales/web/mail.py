"""Routes of this concern register themselves with ``@route``."""

from .routes import route  # noqa: F401
