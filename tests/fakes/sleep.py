"""Sleeps for services under test: the back-off and poll waits take no time."""

from __future__ import annotations

import asyncio


async def no_sleep(_: float) -> None:
    """Return at once, without yielding to the event loop."""
    return None


async def yield_once(_: float) -> None:
    """Return after one turn of the event loop (other tasks get to run)."""
    await asyncio.sleep(0)
