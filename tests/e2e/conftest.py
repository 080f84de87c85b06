"""One sandbox per e2e test module (rate limit off) and the sale spec read from it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pos.sandbox import SandboxServer
from tests.e2e.e2e_support import sale_spec
from tests.sandbox.helpers import SandboxControl


@pytest.fixture(scope="module")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path_factory.mktemp("e2e-sandbox"), rate_limit=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def e2e_ctl(e2e_server: SandboxServer) -> SandboxControl:
    return SandboxControl(e2e_server)


@pytest.fixture(scope="module")
def spec(e2e_ctl: SandboxControl) -> dict[str, Any]:
    with e2e_ctl.client() as http:
        return sale_spec(http)
