"""Our own template engine: the project's template dirs first, then app directories, cached.

Saleor's settings list template loaders explicitly, without Django's cached loader, so every
request would re-read and re-compile our page templates. This engine compiles each template
once per process (except with ``DEBUG``) and still honours overrides in the project's
``TEMPLATES[...]["DIRS"]``. The status page and emails both render through it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.template import Engine, TemplateSyntaxError, engines

_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]


@cache
def engine() -> Engine:
    """The process-wide engine (built on first use, from the host's Django settings)."""
    base = engines["django"].engine
    loaders: list[Any] = (
        list(_LOADERS) if settings.DEBUG else [("django.template.loaders.cached.Loader", _LOADERS)]
    )
    return Engine(
        dirs=list(base.dirs),
        loaders=loaders,
        libraries=dict(base.libraries),
        builtins=[b for b in base.builtins if b not in Engine.default_builtins],
        autoescape=True,
        string_if_invalid=base.string_if_invalid,
    )


def _reset(*, setting: str, **kwargs: Any) -> None:
    """Tests that override ``TEMPLATES`` or ``DEBUG`` get an engine built from the new ones."""
    if setting in ("TEMPLATES", "DEBUG"):
        engine.cache_clear()


setting_changed.connect(_reset, dispatch_uid="saleor-aftersales-templating")


def render_to_string(template_name: str, context: dict[str, Any]) -> str:
    """Render one of our templates with a plain dict context (no request processors)."""
    return engine().render_to_string(template_name, context)


_INCLUDE = re.compile(r"{%\s*include\s+([\"'])(?P<name>[^\"']+)\1(?P<rest>[^%]*)%}")


def load_source(name: str) -> str:
    """The source of a template found through our engine's loaders (project overrides win)."""
    return engine().get_template(name).source


def flatten_includes(source: str, _depth: int = 0) -> str:
    """Replace ``{% include "name" [with a=b] %}`` by the included source, recursively."""
    if _depth > 10:
        raise TemplateSyntaxError("email templates include each other too deeply")

    def expand(match: re.Match[str]) -> str:
        rest = match["rest"].strip()
        inner = flatten_includes(load_source(match["name"]), _depth + 1)
        if not rest:
            return inner
        if rest.startswith("with ") and " only" not in f" {rest} ":
            return f"{{% with {rest[5:].strip()} %}}{inner}{{% endwith %}}"
        raise TemplateSyntaxError(
            f"email templates support only {{% include \"name\" [with a=b] %}}, not {rest!r}"
        )

    return _INCLUDE.sub(expand, source)
