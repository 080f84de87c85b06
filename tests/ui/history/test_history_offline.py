"""Issue 5 in the real app: one Kasir per data folder, start-up reconcile, the offline queue
draining by itself when the network returns, exactly one order per sale on the sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pos.domain.sale import build_order_body
from pos.sandbox import SandboxServer
from pos.storage import DataDirLock, SaleState
from tests.sandbox.helpers import SandboxControl
from tests.ui.history.history_support import Kasir
from tests.ui.ui_support import qr_texts, scan
from ui.main_window import PAGE_HISTORY, PAGE_PAYMENT, PAGE_QUEUED, PAGE_SALE

ROOT = Path(__file__).resolve().parents[3]


def test_a_second_kasir_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "kasir"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop("KASIR_API_KEY", None)
    with DataDirLock(data_dir):  # the first Kasir
        second = subprocess.run(
            [sys.executable, "-m", "ui", "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )
    assert second.returncode == 2, second.stderr
    assert "Kasir sudah berjalan" in second.stderr
    assert "already running" in second.stderr
    assert str(data_dir) in second.stderr
    assert "Traceback" not in second.stderr


def test_start_up_reconcile_adopts_a_sale_left_sending_and_shows_it_again(
    kasir: Kasir, qtbot: Any, tmp_path: Path
) -> None:
    # a previous run journaled the sale, sent it, and was killed before the reply arrived
    from tests.e2e.e2e_support import make_draft

    draft = make_draft(kasir.spec(), 41)
    pos_ref = kasir.seed(draft, "sending")
    body = build_order_body(draft, pos_ref=pos_ref, terminal="KASIR-01")
    server_order = kasir.post_order(body)  # the server had committed it

    kasir.start()  # lock → reconcile → outbox → window
    w = kasir.window
    row = w.outbox.history.get(pos_ref)
    assert row is not None and row.state == SaleState.RECONCILED  # adopted, not resent
    assert row.order_id == server_order["id"]
    assert len(kasir.ctl.orders(pos_ref)) == 1
    assert w.pending_badge.property("count") == 0
    assert not w.pending_badge.isVisible()

    QTest.keyClick(w, Qt.Key.Key_F4)
    assert w.page() == PAGE_HISTORY
    h = w.history
    qtbot.waitUntil(lambda: h.model.find(pos_ref) >= 0)
    h.select(pos_ref)
    assert h.selected_row().status == "created"
    assert h.open_button.isEnabled()
    assert h.whatsapp.isEnabled() and "wa.me/6281200000041" in (h.whatsapp.link() or "")
    QTest.keyClick(h.table, Qt.Key.Key_Return)  # open it: the payment screen again
    assert w.page() == PAGE_PAYMENT
    assert w.payment.from_history()
    assert qr_texts(w.payment.qr, tmp_path) == [server_order["payment_url"]]
    assert w.payment.status.property("status") == "unpaid"
    qtbot.waitUntil(lambda: kasir.session.runner.is_busy("payment-watch"))

    kasir.ctl.pay(server_order["id"])  # the customer pays: live status
    qtbot.waitUntil(lambda: w.payment.status.property("status") == "paid", timeout=5000)
    assert w.payment.state() == "paid"

    QTest.keyClick(w, Qt.Key.Key_Escape)  # back to the history, not a new sale
    assert w.page() == PAGE_HISTORY
    h.select(pos_ref)
    h.refresh_button.click()  # the remote status into the journal
    qtbot.waitUntil(lambda: h.selected_row().status == "paid", timeout=5000)
    assert "Lunas" in h.model.index(h.model.find(pos_ref), 5).data()


def test_offline_sale_is_kept_and_created_once_when_the_network_returns(
    kasir: Kasir, sandbox_server: Any, qtbot: Any, tmp_path: Path
) -> None:
    kasir.start()
    kasir.choose_store()
    w = kasir.window
    port, data = sandbox_server.port, sandbox_server.data_dir

    scan(w.catalog.search, "EBOOK-KEDAI")
    w.go_checkout()
    co = w.checkout
    co.name.setText("Rina Offline")
    co.phone.setText("0813-5555-0101")
    sandbox_server.stop()  # the network is gone
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_QUEUED, timeout=20000)
    assert w.queued.state() == "queued"
    assert "Tersimpan, akan dikirim otomatis" in w.queued.title.text()
    assert "Saved, will be sent automatically" in w.queued.title.text()
    pos_ref = w.queued.pos_ref
    assert pos_ref
    qtbot.waitUntil(lambda: w.pending_badge.property("count") == 1)
    assert w.pending_badge.isVisible()
    assert w.pending_badge.property("level") == "pending"

    # the cashier goes on with the next sale
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.page() == PAGE_SALE
    assert kasir.session.controller.cart.is_empty

    # the network returns (a sandbox on the same port and data)
    back = SandboxServer(data, port=port).start()
    try:
        qtbot.waitUntil(lambda: w.pending_badge.property("count") == 0, timeout=15000)
        assert not w.pending_badge.isVisible()
        orders = SandboxControl(back).orders(pos_ref)
        assert len(orders) == 1  # exactly once
        assert orders[0]["customer"]["phone"] == "6281355550101"
        # the notice says so, with a link into the history
        assert "history:" + pos_ref in w.banner.text()
        w.banner._label.linkActivated.emit("history:" + pos_ref)
        assert w.page() == PAGE_HISTORY
        row = w.history.selected_row()
        assert row.pos_ref == pos_ref and row.status == "created"
        link = w.history.whatsapp.link() or ""
        assert link.startswith("https://wa.me/6281355550101")
        w.history.open_button.click()
        assert w.page() == PAGE_PAYMENT
        assert qr_texts(w.payment.qr, tmp_path) == [orders[0]["payment_url"]]
    finally:
        kasir.stop()
        back.stop()


def test_every_successful_api_response_pokes_the_outbox(kasir: Kasir, qtbot: Any) -> None:
    kasir.start()
    kasir.choose_store()
    bridge = kasir.window.outbox
    pokes: list[int] = []
    real_poke = bridge.outbox.poke

    def counting_poke() -> None:
        pokes.append(1)
        real_poke()

    bridge.outbox.poke = counting_poke
    kasir.session.controller.refresh_catalog()  # a few successful GETs
    qtbot.waitUntil(lambda: len(pokes) > 0, timeout=10000)
    qtbot.waitUntil(lambda: not kasir.session.runner.is_busy("catalog"), timeout=15000)
