"""Fixtures for the sandbox tests (API wrappers bound to the shared sandbox fixtures)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos.sandbox import SandboxServer
from tests.sandbox.helpers import Api


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


@pytest.fixture
def api_no_rl(sandbox_no_rl: SandboxServer) -> Iterator[Api]:
    client = Api(sandbox_no_rl)
    yield client
    client.close()


@pytest.fixture
def shared_api(shared_sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(shared_sandbox)
    yield client
    client.close()
