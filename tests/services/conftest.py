"""Fixtures for the service tests (fake client, journal on a temporary database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_scalev import FakeScalev

from pos.storage import Database, SaleJournal


@pytest.fixture
def fake() -> FakeScalev:
    return FakeScalev()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    d = Database.open(tmp_path / "kasir.db")
    yield d
    d.close()


@pytest.fixture
def journal(db: Database) -> SaleJournal:
    return SaleJournal(db)
