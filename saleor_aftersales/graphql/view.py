"""GraphQL endpoint of the plugin route (registers itself with ``@route``)."""

from ..web.routes import route  # noqa: F401
