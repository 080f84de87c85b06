"""The real window against an unfriendly sandbox (issue 11): a sale whose reply is lost and
whose lookups are refused stays "confirming" (never failed, never rung twice) and is adopted
once lookups work; the payment screen says when status checks fail."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import SandboxApp

from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_QUEUED

DIGITAL_STORE = "Toko Kopi Nusantara"


def _to_checkout(app: SandboxApp) -> None:
    w = app.window
    QTest.keyClicks(w.catalog.search, "EBOOK-KEDAI")
    QTest.keyClick(w.catalog.search, Qt.Key.Key_Return)
    w.go_checkout()
    assert w.page() == PAGE_CHECKOUT
    w.checkout.name.setText("Budi Santoso")
    w.checkout.phone.setText("081398765432")


def _arm(app: SandboxApp, *rules: dict[str, Any]) -> None:
    app.control("PUT", "/__sandbox/faults", json={"next": list(rules)})


def test_lost_reply_and_refused_lookups_confirm_then_adopt(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    assert w.outbox is not None
    w.outbox.start()  # as the app does after start-up
    _to_checkout(app)
    _arm(
        app,
        {"fault": "drop_after_commit", "method": "POST", "path": "/v3/orders", "times": 1},
        # every lookup while the cashier waits, and the first of the outbox, answer 403
        {"fault": "5xx", "status": 403, "method": "GET", "path": "/v3/orders", "times": 4},
    )
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_QUEUED, timeout=20000)
    assert w.queued.state() == "confirming"
    assert "jangan buat pesanan ini lagi" in w.queued.body.text()
    assert not w.checkout.error.isVisible()  # no "API key is not allowed"
    (post,) = app.requests()
    pos_ref = post["json"]["metadata"]["pos_ref"]
    orders = app.control("GET", "/__sandbox/orders")["data"]
    mine = [o for o in orders if (o.get("metadata") or {}).get("pos_ref") == pos_ref]
    assert len(mine) == 1  # committed once; the reply was lost
    # the outbox keeps looking; once the lookup is answered the order is adopted
    qtbot.waitUntil(lambda: w.queued.state() == "created", timeout=30000)
    assert len(app.requests()) == 1  # never sent again
    orders = app.control("GET", "/__sandbox/orders")["data"]
    assert [o["id"] for o in orders if (o.get("metadata") or {}).get("pos_ref") == pos_ref] == [
        mine[0]["id"]
    ]
    assert w.pending_badge.property("count") == 0


def test_payment_screen_says_when_status_checks_fail(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    _to_checkout(app)
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    order = app.controller.order
    assert order is not None
    trouble = w.payment.check_trouble
    assert not trouble.isVisible()
    _arm(app, {"fault": "5xx", "method": "GET", "path": f"/v3/orders/{order.id}", "times": 4})
    qtbot.waitUntil(trouble.isVisible, timeout=10000)
    assert "Tidak bisa memeriksa pembayaran" in trouble.text()
    qtbot.waitUntil(lambda: not trouble.isVisible(), timeout=30000)  # checks work again
    app.control("POST", f"/__sandbox/orders/{order.id}/pay")
    qtbot.waitUntil(lambda: w.payment.state() == "paid", timeout=10000)
