"""Translations complete: in the pseudo-language ``check`` every tr() result is ``⟦…⟧``; every
screen is built against the sandbox and each visible static string must carry the brackets.
Data (product, store and customer names, amounts, numbers, URLs) is allowed by the known test
data and by pattern."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from tests.ui.wiring.wiring_support import Counter
from ui.common import i18n
from ui.common.i18n import CHECK_CLOSE, CHECK_OPEN
from ui.main_window import PAGE_CHECKOUT, PAGE_HISTORY, PAGE_PROBLEM

GAYO_BIJI_SKU = "8992884945008"  # a physical item: the checkout shows the shipping panel
_BRACKETED = re.compile(re.escape(CHECK_OPEN) + ".*?" + re.escape(CHECK_CLOSE), re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")
# Names of keys, brands, units and technical example values: the same in every language.
TECHNICAL = {
    "Kasir", "KASIR", "DEMO", "Scalev", "Ctrl", "Shift", "Esc", "Enter", "Del", "PgDn", "Tab",
    "Rp", "mm", "QRIS", "Indonesia", "English", "https", "http", "api", "scalev", "com", "dev",
    "usb", "lp", "home", "kasir", "struk", "bin", "keyring", "id", "HTTP",
}  # fmt: skip
# The street-address example is an Indonesian address in every language (addresses are).
ADDRESS_EXAMPLE = "Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03"


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def strings_of(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every visible string of ``root`` and its visible children."""
    out: list[tuple[str, str]] = []
    widgets = [root, *(w for w in root.findChildren(QWidget) if w.isVisibleTo(root))]
    for w in widgets:
        where = f"{type(w).__name__}#{w.objectName()}"
        if w.isWindow():
            out.append((where + ".windowTitle", w.windowTitle()))
        out.append((where + ".toolTip", w.toolTip()))
        out.append((where + ".accessibleName", w.accessibleName()))
        if isinstance(w, QLabel):
            out.append((where + ".text", _plain(w.text())))
        if isinstance(w, QAbstractButton):
            out.append((where + ".text", w.text()))
        if isinstance(w, QLineEdit):
            out.append((where + ".placeholder", w.placeholderText()))
        if isinstance(w, QGroupBox):
            out.append((where + ".title", w.title()))
        if isinstance(w, QComboBox) and w.objectName() not in ("storeSelector", "settingsStore"):
            out.extend((f"{where}.item{i}", w.itemText(i)) for i in range(w.count()))
        if isinstance(w, QTableView) and w.model() is not None:
            header = w.horizontalHeader()
            model = w.model()
            for col in range(model.columnCount()):
                if not header.isSectionHidden(col) and header.isVisible():
                    text = model.headerData(col, Qt.Orientation.Horizontal)
                    out.append((f"{where}.header{col}", str(text or "")))
    return [(where, text) for where, text in out if text]


def untranslated(root: QWidget, data_words: set[str]) -> list[str]:
    bad = []
    for where, text in strings_of(root):
        rest = _BRACKETED.sub(" ", text)
        words = [w for w in _WORD.findall(rest) if w not in TECHNICAL and w not in data_words]
        if words:
            bad.append(f"{where}: {text!r} ({words})")
    return bad


def words(*texts: Any) -> set[str]:
    return {w for t in texts if t for w in _WORD.findall(str(t))}


@pytest.fixture
def check_mode(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("KASIR_LANGUAGE", "check")
    i18n.set_mode("check")
    yield
    i18n.set_mode("both")


def test_every_screen_shows_only_translated_static_strings(
    check_mode: Any, counter: Counter, qtbot: Any
) -> None:
    counter.start()
    counter.choose_store()
    w = counter.window
    c = counter.controller
    data = words(
        *(i.name for i in c.items),
        *(i.sku for i in c.items),
        *(s.name for s in c.stores),
        "Siti Rahmawati siti@example.co.id KASIR-01",
        ADDRESS_EXAMPLE,
        counter.server.base_url,
    )
    problems: dict[str, list[str]] = {}

    def check(screen: str, root: QWidget) -> None:
        found = untranslated(root, data)
        if found:
            problems[screen] = found

    # sale: catalog and a cart with a physical and a digital item
    counter.add(GAYO_BIJI_SKU)
    counter.add()
    check("sale", w)
    w.show_shortcuts()
    check("shortcut sheet", w._sheet)
    w._sheet.close()
    # checkout with the shipping panel
    w.go_checkout()
    assert w.page() == PAGE_CHECKOUT
    assert w.checkout.shipping_panel.isVisibleTo(w)
    w.checkout.name.setText("Siti Rahmawati")
    check("checkout + shipping", w)
    w.go_sale()
    c.remove_line(next(ln.key for ln in c.cart.lines if ln.item.sku == GAYO_BIJI_SKU))
    # payment: waiting, then paid; the customer display in both states
    w.set_customer_display(True)
    check("customer display: cart", w.customer_display)
    order = counter.sell()
    data |= words(order.order_id, order.payment_url, order.public_order_url)
    check("payment: waiting", w)
    check("customer display: payment", w.customer_display)
    counter.customer_pays(order)
    check("payment: paid", w)
    check("customer display: paid", w.customer_display)
    # history
    counter.open_history(rows=1)
    assert w.page() == PAGE_HISTORY
    check("history", w)
    w.leave_history()
    # settings
    dialog = w.open_settings()
    check("settings", dialog)
    dialog.reject()
    # the problem screen, both kinds
    for kind in ("auth", "network"):
        w.show_problem(kind, "HTTP 401")
        assert w.page() == PAGE_PROBLEM
        check(f"problem: {kind}", w)

    report = "\n".join(f"[{screen}] {line}" for screen, lines in problems.items() for line in lines)
    assert not problems, report
