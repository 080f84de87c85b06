"""Fixtures for settings, secrets, logs and doctor: isolated dirs and a test keyring."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos.logs import forget_secrets, teardown_logging
from tests.config.config_keyring import fail_keyring, memory_keyring


@pytest.fixture
def kasir_env(tmp_path: Path) -> dict[str, str]:
    """Environment pointing every Kasir folder into ``tmp_path``."""
    return {
        "KASIR_CONFIG_DIR": str(tmp_path / "config"),
        "KASIR_DATA_DIR": str(tmp_path / "data"),
        "KASIR_LOG_DIR": str(tmp_path / "logs"),
    }


@pytest.fixture(autouse=True)
def _clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    teardown_logging()
    root.setLevel(level)
    forget_secrets()


__all__ = ["fail_keyring", "memory_keyring"]
