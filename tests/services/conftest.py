"""Fixtures for the service tests: the fake Scalev, and a real client on the test's sandbox
(the database and journal come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from pos.api.client import ScalevClient
from pos.sandbox import DEMO_API_KEY, SandboxServer
from tests.fakes.scalev import FakeScalev


@pytest.fixture
def fake() -> FakeScalev:
    return FakeScalev()


@pytest_asyncio.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[ScalevClient]:
    """A real ScalevClient on the test's sandbox (demo key)."""
    async with ScalevClient(sandbox.base_url, DEMO_API_KEY, read_timeout=5.0) as c:
        yield c
