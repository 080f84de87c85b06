from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from outbox_fake import FakeServer

from pos.storage import Database, SaleJournal


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = Database.open(tmp_path / "kasir.db")
    yield d
    d.close()


@pytest.fixture
def journal(db: Database) -> SaleJournal:
    return SaleJournal(db)
