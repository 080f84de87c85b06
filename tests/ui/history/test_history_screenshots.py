"""Screenshots of the history screen, the pending badge and the "saved" page at 1366×768.

The key widgets must be shown, inside the window and with uncut button texts; a blank or tiny
grab fails. With ``KASIR_SCREENSHOTS=1`` the PNGs go to ``docs/screenshots/``; otherwise to a
temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.history.history_support import Kasir, created_order, named_draft
from tests.ui.ui_support import assert_in_view, save_screenshot, screenshot_dir
from ui.main_window import PAGE_HISTORY, PAGE_QUEUED


def test_history_and_badge_screenshots(kasir: Kasir, qtbot: Any, tmp_path: Path) -> None:
    out = screenshot_dir(tmp_path)
    spec = kasir.spec()
    paid = kasir.seed(
        named_draft(spec, "Siti Rahmawati", "6281234567890", 2),
        "created",
        created_order(1, "261126KSR0001", 98000),
    )
    kasir.seed(
        named_draft(spec, "Budi Santoso", "6285712345678"),
        "created",
        created_order(2, "261126KSR0002"),
    )
    kasir.seed(named_draft(spec, "Dewi Lestari", "6281398765432"), "failed")
    old = kasir.seed(named_draft(spec, "Gita Lama", "6281355556666"), "queued")
    kasir.age(old, 30)
    kasir.start()
    w = kasir.window
    w.resize(1366, 768)
    with kasir.session.db.transaction() as c:  # Siti paid (as a refresh would record)
        c.execute("UPDATE sales SET payment_status = 'paid' WHERE pos_ref = ?", (paid,))
    # one sale still waiting for the network (kept in the journal, never sent yet)
    kasir.session.runner.cancel("outbox")  # so it stays pending for the picture
    kasir.seed(named_draft(spec, "Rina Offline", "6281355550101"), "queued")
    w.outbox.update_counts()
    qtbot.waitUntil(lambda: w.pending_badge.property("count") == 3)
    assert w.pending_badge.property("level") == "attention"

    w.show_history()
    h = w.history
    h.show_all()
    qtbot.waitUntil(lambda: h.model.rowCount() == 5)
    statuses = sorted(h.model.row_at(i).status for i in range(5))
    assert statuses == ["created", "failed", "needs_decision", "paid", "pending"]
    h.select(old)
    assert w.page() == PAGE_HISTORY
    qtbot.wait(50)
    assert_in_view(w, h.search, h.table, h.detail, h.retry_button, h.back_button, w.pending_badge)
    save_screenshot(w, out / "history-1366x768.png")
    bar = w.pending_badge.parentWidget()
    save_screenshot(bar, out / "pending-badge-attention.png", (640, 40))
    w.pending_badge.set_counts(1, 0)  # one sale waiting for the network: orange
    assert w.pending_badge.property("level") == "pending"
    assert_in_view(w, w.pending_badge)
    save_screenshot(bar, out / "pending-badge-1366x768.png", (640, 40))

    # the badge in the top bar of the sale screen
    w.leave_history()
    w.queued.show_sale("x", True, "Rina Offline", 49000)
    w.pages.setCurrentIndex(PAGE_QUEUED)
    qtbot.wait(50)
    assert_in_view(w, w.queued.title, w.queued.body, w.queued.new_sale_button, w.pending_badge)
    save_screenshot(w, out / "queued-1366x768.png")
