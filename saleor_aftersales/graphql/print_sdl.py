"""Print the subgraph SDL (needs ``DJANGO_SETTINGS_MODULE``, e.g. ``demo.settings``)::

    python -m saleor_aftersales.graphql.print_sdl > saleor_aftersales/graphql/schema.graphql
"""

from __future__ import annotations

import sys

import django


def main() -> None:
    django.setup()
    from .schema import sdl

    sys.stdout.write(sdl())


if __name__ == "__main__":
    main()
