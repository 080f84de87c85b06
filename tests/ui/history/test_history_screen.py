"""The history screen: filters and debounced search, retry / abandon with a confirm dialog,
sales pending > 24 h waiting for a decision, the quit warning, the start-up progress window."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog

from pos.storage import SaleState
from tests.ui.history.history_support import Kasir, created_order, named_draft
from ui.main_window import PAGE_HISTORY, PAGE_SALE


def _wait_rows(qtbot: Any, kasir: Kasir, n: int) -> None:
    h = kasir.window.history
    qtbot.waitUntil(lambda: h.model.rowCount() == n, timeout=3000)


def _search(qtbot: Any, kasir: Kasir, text: str, expected: list[str]) -> None:
    h = kasir.window.history

    def names() -> list[str]:
        return [h.model.row_at(i).customer_name for i in range(h.model.rowCount())]

    h.search.clear()
    QTest.keyClicks(h.search, text)  # debounced: the list follows once typing pauses
    qtbot.waitUntil(lambda: not h._debounce.isActive() and names() == expected, timeout=3000)


def test_history_lists_today_and_searches_name_phone_and_order_number(
    kasir: Kasir, qtbot: Any
) -> None:
    spec = kasir.spec()
    kasir.seed(
        named_draft(spec, "Siti Rahmawati", "6281234567890"),
        "created",
        created_order(1, "261126KSRAAA1"),
    )
    kasir.seed(
        named_draft(spec, "Budi Santoso", "6285712345678"),
        "created",
        created_order(2, "261126KSRBBB2"),
    )
    old = kasir.seed(
        named_draft(spec, "Dewi Lestari", "6281398765432"),
        "created",
        created_order(3, "261120KSRCCC3"),
    )
    kasir.age(old, 24 * 6)  # six days ago
    kasir.start()
    w = kasir.window
    w.history_button.click()
    assert w.page() == PAGE_HISTORY
    h = w.history
    # today by default
    assert h.selected_day() == QDate.currentDate().toPython()
    _wait_rows(qtbot, kasir, 2)
    row = h.model.index(0, 0)
    assert h.model.index(0, 4).data() == "Rp49.000"
    assert h.model.index(0, 2).data() in ("0857-1234-5678", "0812-3456-7890")
    months = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    assert any(m in row.data() for m in months)
    # every day
    h.all_days.setChecked(True)
    _wait_rows(qtbot, kasir, 3)
    # search: name, local phone form of a 62… number, order number
    _search(qtbot, kasir, "siti", ["Siti Rahmawati"])
    _search(qtbot, kasir, "0857-1234", ["Budi Santoso"])
    _search(qtbot, kasir, "CCC3", ["Dewi Lestari"])
    _search(qtbot, kasir, "tidak-ada", [])
    assert h.empty.isVisible()
    # the day picker: six days ago holds Dewi only
    h.search.clear()
    h.day.setDate(QDate.currentDate().addDays(-6))
    assert not h.all_days.isChecked()
    _wait_rows(qtbot, kasir, 1)
    assert h.model.row_at(0).customer_name == "Dewi Lestari"
    h.today_button.click()
    _wait_rows(qtbot, kasir, 2)
    QTest.keyClick(w, Qt.Key.Key_Escape)
    assert w.page() == PAGE_SALE
    QTest.keyClick(w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert w.page() == PAGE_HISTORY


def test_retry_and_abandon_through_a_confirm_dialog(kasir: Kasir, qtbot: Any) -> None:
    spec = kasir.spec()
    refused = kasir.seed(named_draft(spec, "Eka Retry", "6281311112222"), "failed")
    giving_up = kasir.seed(named_draft(spec, "Fajar Abandon", "6281333334444"), "failed")
    kasir.start()
    w = kasir.window
    # failed sales are not sent automatically: they wait for the cashier, and say so in red
    assert w.pending_badge.property("count") == 2
    assert w.pending_badge.property("level") == "attention"
    w.pending_badge.click()  # history, pending only
    h = w.history
    assert h.pending_only.isChecked()
    _wait_rows(qtbot, kasir, 2)

    assert h.select(refused)
    assert h.retry_button.isEnabled() and h.abandon_button.isEnabled()
    assert not h.open_button.isEnabled()  # no order yet, so no QR
    box = h.ask_retry()
    assert box is not None and box.isVisible() and box.objectName() == "retryConfirm"
    assert kasir.ctl.orders(refused) == []  # nothing happens before the cashier confirms
    box.findChild(type(h.retry_button), "retryConfirmYes").click()
    qtbot.waitUntil(lambda: w.outbox.history.get(refused).status == "created", timeout=10000)
    assert len(kasir.ctl.orders(refused)) == 1
    qtbot.waitUntil(lambda: w.pending_badge.property("count") == 1)

    h.pending_only.setChecked(False)
    assert h.select(giving_up)
    box = h.ask_abandon()
    assert box is not None and box.objectName() == "abandonConfirm"
    box.findChild(type(h.retry_button), "abandonConfirmNo").click()  # changed their mind
    assert w.outbox.history.get(giving_up).state == SaleState.FAILED
    box = h.ask_abandon()
    assert box is not None
    box.findChild(type(h.retry_button), "abandonConfirmYes").click()
    qtbot.waitUntil(lambda: w.outbox.history.get(giving_up).status == "abandoned", timeout=5000)
    assert kasir.ctl.orders(giving_up) == []
    qtbot.waitUntil(lambda: w.pending_badge.property("count") == 0)
    assert not w.pending_badge.isVisible()
    assert h.model.row_at(h.model.find(giving_up)).status == "abandoned"
    assert not h.retry_button.isEnabled() and not h.abandon_button.isEnabled()


def test_a_sale_pending_over_24_h_asks_for_a_decision(kasir: Kasir, qtbot: Any) -> None:
    spec = kasir.spec()
    stale = kasir.seed(named_draft(spec, "Gita Lama", "6281355556666"), "queued")
    kasir.age(stale, 30)
    kasir.start()  # the start-up reconcile does not send it: a human decides
    w = kasir.window
    rec = w.outbox.history.get(stale)
    assert rec.status == "needs_decision"
    assert kasir.ctl.orders(stale) == []
    assert w.pending_badge.property("count") == 1
    assert w.pending_badge.property("level") == "attention"
    w.pending_badge.click()
    h = w.history
    _wait_rows(qtbot, kasir, 1)
    assert "Perlu keputusan" in h.model.index(0, 5).data()
    assert "24" in h.detail.text()
    assert h.retry_button.isEnabled() and h.abandon_button.isEnabled()
    box = h.ask_retry()
    assert box is not None
    box.findChild(type(h.retry_button), "retryConfirmYes").click()
    qtbot.waitUntil(lambda: w.outbox.history.get(stale).status == "created", timeout=10000)
    assert len(kasir.ctl.orders(stale)) == 1


def test_quitting_with_pending_sales_warns(kasir: Kasir, qtbot: Any) -> None:
    spec = kasir.spec()
    kasir.seed(named_draft(spec, "Hana Tunda", "6281377778888"), "failed")
    kasir.start()
    w = kasir.window
    assert not w.close()  # refused for now: a warning instead
    box = w.quit_warning()
    assert box is not None and box.isVisible() and box.objectName() == "quitWarning"
    assert "1 penjualan belum terkirim" in box.text()
    assert "1 sales not sent yet" in box.text()
    assert w.isVisible()
    box.findChild(type(w.history_button), "quitCancel").click()
    assert w.quit_warning() is None
    assert w.isVisible()
    w.close()
    box = w.quit_warning()
    assert box is not None
    box.findChild(type(w.history_button), "quitAnyway").click()
    qtbot.waitUntil(lambda: not w.isVisible())


class _SlowBridge:
    def __init__(self) -> None:
        self.gate = asyncio.Event()

    async def reconcile_at_start(self) -> str:
        await self.gate.wait()
        return "done"


def test_a_slow_start_up_reconcile_shows_progress(qloop: Any, qtbot: Any) -> None:
    from ui.checkout.outbox_ui import reconcile_with_progress

    bridge = _SlowBridge()
    task = asyncio.ensure_future(reconcile_with_progress(bridge, delay=0.05))  # type: ignore[arg-type]

    def progress() -> list[QProgressDialog]:
        return [
            wdg
            for wdg in QApplication.topLevelWidgets()
            if isinstance(wdg, QProgressDialog)
            and wdg.objectName() == "reconcileProgress"
            and wdg.isVisible()
        ]

    qtbot.waitUntil(lambda: bool(progress()))
    assert "Memeriksa penjualan yang belum selesai" in progress()[0].labelText()
    bridge.gate.set()
    qtbot.waitUntil(task.done)
    assert not progress()


def test_history_contract_names_and_accessible_names(kasir: Kasir) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QWidget,
    )

    kasir.start()
    w = kasir.window
    for name in ("pendingBadge", "historyView", "historyButton", "historySearch", "queuedPage"):
        assert w.findChild(QWidget, name) is not None, name
    w.show_history()
    assert w.history.isVisible()
    missing = []
    for cls in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox):
        for widget in w.history.findChildren(cls):
            if isinstance(widget, QLineEdit) and isinstance(
                widget.parent(), QComboBox | QAbstractSpinBox
            ):
                continue  # the editor inside a combo box / date edit
            if isinstance(widget, QAbstractItemView) and not widget.objectName():
                continue  # Qt-internal popups
            if not widget.accessibleName() and widget.isVisibleTo(w):
                missing.append((type(widget).__name__, widget.objectName()))
    assert missing == []


def test_a_timed_out_send_is_confirmed_in_the_background(fake_app: Any, qtbot: Any) -> None:
    """A send whose outcome is unknown is confirmed by lookups over a window: the checkout does
    not wait for it but says "Sedang dipastikan… / Confirming…" and lets the cashier take the
    next sale."""
    from pos.services import SaleConfirming
    from ui.main_window import PAGE_QUEUED

    fake_app.start()
    w = fake_app.window
    fake_app.controller.add_item(fake_app.catalog.items[0])
    w.go_checkout()
    co = w.checkout
    co.name.setText("Siti")
    co.phone.setText("081234567890")
    fake_app.checkout.error = SaleConfirming("ref-timeout", 0.0)
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_QUEUED)
    assert w.queued.state() == "confirming"
    assert "Sedang dipastikan" in w.queued.title.text()
    assert "Confirming" in w.queued.title.text()
    assert not co.error.isVisible()
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.page() == PAGE_SALE
    assert fake_app.controller.cart.is_empty


def test_a_payment_seen_on_the_payment_screen_shows_in_the_history(
    kasir: Kasir, qtbot: Any
) -> None:
    """The payment screen's watcher reads the order paid: the history row says paid at once,
    with no refresh."""
    spec = kasir.spec()
    order = created_order(1, "261126KSRPAY1")
    kasir.seed(named_draft(spec, "Siti Rahmawati", "6281234567890"), "created", order)
    kasir.start()
    w = kasir.window
    w.history_button.click()
    h = w.history
    _wait_rows(qtbot, kasir, 1)
    assert h.model.row_at(0).status == "created"
    paid = order.model_copy(update={"payment_status": "paid"})
    w.controller.order = order  # the payment screen shows this sale
    w.controller._on_order(paid)  # what the watcher delivers
    qtbot.waitUntil(lambda: h.model.row_at(0).status == "paid", timeout=3000)
