"""Shared pytest fixtures: the counter's database and journal, sandbox servers over real
sockets and small HTTP helpers.

``QT_QPA_PLATFORM=offscreen`` is set at import so UI tests never need a display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The suites assert the bilingual texts ("Bayar / Charge"); a Kasir started as a subprocess
# follows this too. Its settings and logs stay out of the real user folders.
os.environ.setdefault("KASIR_LANGUAGE", "both")
if "KASIR_CONFIG_DIR" not in os.environ or "KASIR_LOG_DIR" not in os.environ:
    import tempfile as _tempfile

    _isolated = Path(_tempfile.mkdtemp(prefix="kasir-tests-"))
    os.environ.setdefault("KASIR_CONFIG_DIR", str(_isolated / "config"))
    os.environ.setdefault("KASIR_LOG_DIR", str(_isolated / "log"))

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # makes ``tests.contract.openapi`` importable from any test
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from pos.sandbox import FaultConfig, SandboxServer  # noqa: E402
from pos.storage import Database, SaleJournal  # noqa: E402
from tests.sandbox.helpers import SandboxControl  # noqa: E402


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """The counter's SQLite database, fresh in ``tmp_path``."""
    d = Database.open(tmp_path / "kasir.db")
    yield d
    d.close()


@pytest.fixture
def journal(db: Database) -> SaleJournal:
    """The sale journal on ``db``."""
    return SaleJournal(db)


def _serve(path: Path, **kw: Any) -> Iterator[SandboxServer]:
    server = SandboxServer(path, **kw)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A fresh sandbox (rate limit ON) with its own SQLite file in ``tmp_path``."""
    yield from _serve(tmp_path / "sandbox")


@pytest.fixture
def sandbox_no_rl(tmp_path: Path) -> Iterator[SandboxServer]:
    """A fresh sandbox with the rate limit OFF."""
    yield from _serve(tmp_path / "sandbox", rate_limit=False)


@pytest.fixture(scope="session")
def shared_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox for the whole session (rate limit OFF); for read-only catalog tests."""
    yield from _serve(tmp_path_factory.mktemp("shared-sandbox"), rate_limit=False)


@pytest.fixture
def sandbox_ctl(sandbox: SandboxServer) -> SandboxControl:
    return SandboxControl(sandbox)


@pytest.fixture
def sandbox_no_rl_ctl(sandbox_no_rl: SandboxServer) -> SandboxControl:
    return SandboxControl(sandbox_no_rl)


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[Any]:
    """Factory for sandboxes with custom options; all are stopped at teardown.

    ``make_sandbox(faults=FaultConfig(...), products=1000, data_dir=...)``
    """
    servers: list[SandboxServer] = []

    def factory(data_dir: Path | None = None, **kw: Any) -> SandboxServer:
        server = SandboxServer(data_dir or tmp_path / f"sandbox-{len(servers)}", **kw)
        server.start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


__all__ = ["FaultConfig", "SandboxControl"]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report how many OpenAPI contract validations the run performed."""
    mod = sys.modules.get("tests.contract.openapi")
    count = mod.validation_count() if mod is not None else 0
    if count:
        terminalreporter.write_line(f"OpenAPI contract validations: {count}")
