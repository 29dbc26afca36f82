"""Helpers for the tests of ``ChannelRoutes``, shared by the sandbox's and Saleor's suites."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient

MIDDLEWARE = "saleor_aftersales.web.middleware.ChannelRoutes"


def list_last(settings) -> None:
    """Our middleware listed last in ``MIDDLEWARE``, as the README tells a shop to."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


def served(*paths: str) -> list:
    """The async client's answers (Django's handler in its ASGI mode), from an event loop of
    its own in another thread (the test's thread may run one already: Playwright's); then
    the database connection of the thread the views ran in is closed, as a server closes it.
    """

    async def get() -> list:
        client = AsyncClient()
        answers = [await client.get(path) for path in paths]
        await sync_to_async(connections.close_all, thread_sensitive=True)()
        return answers

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, get()).result()
