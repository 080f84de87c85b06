"""Fixtures of the customer display and share button tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from ui.common import i18n


@pytest.fixture(autouse=True)
def _styled(qapp: QApplication) -> Iterator[None]:
    from ui.app import style_sheet

    qapp.setStyleSheet(style_sheet())
    yield
    i18n.set_mode("both")
