from __future__ import annotations

import pytest

from tests.fakes.scalev import FakeScalev


@pytest.fixture
def server() -> FakeScalev:
    return FakeScalev()
