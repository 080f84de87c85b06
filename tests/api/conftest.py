"""Fixtures for the pos.api tests."""

from __future__ import annotations

import pytest

from tests.api.scalev_mock import FakeClock, MockAPI


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(clock: FakeClock) -> MockAPI:
    return MockAPI(clock)
