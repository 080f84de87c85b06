"""Fixtures for the service tests (fake client, journal on a temporary database)."""

from __future__ import annotations

import pytest

from tests.fakes.scalev import FakeScalev


@pytest.fixture
def fake() -> FakeScalev:
    return FakeScalev()
