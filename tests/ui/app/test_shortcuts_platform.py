"""Platform shortcuts: ⌘ labels and ⌘Y for the history on macOS (⌘H hides the app there),
Ctrl+ labels and Ctrl+H on Windows and Linux; the window binds the platform's table."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from tests.ui.ui_support import FakeApp
from ui.common.shortcuts import MAC_RESERVED, SHORTCUTS, label, portable_keys, shortcut_rows


@pytest.mark.parametrize(
    ("name", "pc", "mac"),
    [
        ("new_sale", "Ctrl+N", "⌘N"),
        ("print", "Ctrl+P", "⌘P"),
        ("settings", "Ctrl+,", "⌘,"),
        ("history", "Ctrl+H", "⌘Y"),
        ("clear_cart", "Ctrl+Shift+Del", "⇧⌘⌫"),
    ],
)
def test_label_per_platform(name: str, pc: str, mac: str) -> None:
    assert label(name, "win32") == pc
    assert label(name, "linux") == pc
    assert label(name, "darwin") == mac


def test_mac_binds_no_key_the_system_owns() -> None:
    for name in SHORTCUTS:
        assert not set(portable_keys(name, "darwin")) & MAC_RESERVED, name
    assert portable_keys("history", "linux") == ("Ctrl+H",)  # browsers' history key there


def test_shortcut_sheet_reads_the_platform_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    keys = [key for key, _ in shortcut_rows()]
    assert "F4 / ⌘Y" in keys and "⌘N" in keys and "⌘P" in keys and "F10 / ⌘," in keys
    assert not any("Ctrl" in key for key in keys)
    monkeypatch.setattr(sys, "platform", "win32")
    keys = [key for key, _ in shortcut_rows()]
    assert "F4 / Ctrl+H" in keys and "Ctrl+N" in keys and not any("⌘" in k for k in keys)


_REAL_PLATFORM = sys.platform


@contextlib.contextmanager
def app_built_on(
    platform: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeApp, list[str]]]:
    """A started window built as on ``platform``, and the list its history opens append to."""
    from ui.main_window import MainWindow

    opened: list[str] = []
    monkeypatch.setattr(MainWindow, "show_history", lambda self: opened.append("history"))
    monkeypatch.setattr(sys, "platform", platform)
    app = FakeApp(qtbot)
    monkeypatch.setattr(sys, "platform", _REAL_PLATFORM)
    try:
        app.start()
        yield app, opened
    finally:
        app.close()


def _shortcut_keys(app: FakeApp) -> list[str]:
    from PySide6.QtGui import QShortcut

    return [
        sc.key().toString(QKeySequence.SequenceFormat.PortableText)
        for sc in app.window.findChildren(QShortcut)
    ]


def test_window_on_mac_binds_cmd_y_for_history_and_labels_buttons(
    qtbot: Any, qloop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app_built_on("darwin", qtbot, monkeypatch) as (app, opened):
        w = app.window
        keys = _shortcut_keys(app)
        assert "Ctrl+Y" in keys and "Ctrl+H" not in keys  # Qt's Ctrl is ⌘ on a Mac
        assert {"Ctrl+N", "Ctrl+P", "Ctrl+,", "F4", "F10"} <= set(keys)
        assert "⌘," in w.settings_button.toolTip()
        assert w.payment.new_sale_button.text().endswith("(⌘N)")
        assert w.payment.print_button.text().endswith("(⌘P)")
        QTest.keyClick(w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        assert opened == []  # ⌘H is the system's "hide", never Kasir's
        QTest.keyClick(w, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        assert opened == ["history"]
        QTest.keyClick(w, Qt.Key.Key_F4)
        assert opened == ["history", "history"]


def test_window_on_windows_binds_ctrl_h_once_each(
    qtbot: Any, qloop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app_built_on("win32", qtbot, monkeypatch) as (app, opened):
        keys = _shortcut_keys(app)
        assert "Ctrl+H" in keys and "Ctrl+Y" not in keys
        # a key bound twice is ambiguous in Qt and then fires neither
        assert len(keys) == len(set(keys)), keys
        assert "(Ctrl+N)" in app.window.payment.new_sale_button.text()
        QTest.keyClick(app.window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
        assert opened == ["history"]
