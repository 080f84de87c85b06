"""The real window against an unfriendly sandbox (issue 11): a sale whose reply is lost and
whose lookups are refused stays "confirming" (never failed, never rung twice) and is adopted
once lookups work; the payment screen says when status checks fail."""

from __future__ import annotations

from typing import Any

from tests.ui.session_support import DIGITAL_STORE
from tests.ui.ui_support import SandboxApp, scan
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_QUEUED


def _to_checkout(app: SandboxApp) -> None:
    w = app.window
    scan(w.catalog.search, "EBOOK-KEDAI")
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


def test_late_commit_is_confirmed_and_adopted_not_resent(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    """Duplicate 1: the server commits 9 s after the request, long after Kasir gave up on it
    (the request deadline). The screen is freed ("confirming"), nothing is resent, and the
    late order is adopted."""
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    assert w.outbox is not None
    w.outbox.start()
    app.client.request_deadline = 1.5
    _to_checkout(app)
    _arm(app, {"fault": "slow_commit", "method": "POST", "path": "/v3/orders",
               "commit_delay_s": 9.0})  # fmt: skip
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_QUEUED, timeout=20000)
    assert w.queued.state() == "confirming"
    (post,) = app.requests()
    pos_ref = post["json"]["metadata"]["pos_ref"]
    qtbot.waitUntil(lambda: w.queued.state() == "created", timeout=30000)
    assert len(app.requests()) == 1
    orders = app.control("GET", "/__sandbox/orders")["data"]
    assert [o for o in orders if (o.get("metadata") or {}).get("pos_ref") == pos_ref]


def test_a_trickling_reply_frees_the_screen_after_the_deadline(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    """The server answers one byte every 300 ms: the per-read timeout never fires, the request
    deadline does; the committed order is then found by lookup (one order, one send)."""
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    app.client.request_deadline = 1.5
    _to_checkout(app)
    _arm(app, {"fault": "trickle", "method": "POST", "path": "/v3/orders", "trickle_ms": 300})
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=15000)
    order = app.controller.order
    assert order is not None
    assert len(app.requests()) == 1
    pos_ref = app.requests()[0]["json"]["metadata"]["pos_ref"]
    orders = app.control("GET", "/__sandbox/orders")["data"]
    assert [o["id"] for o in orders if (o.get("metadata") or {}).get("pos_ref") == pos_ref] == [
        order.id
    ]


def test_a_busy_phone_is_paged_to_find_the_order(sandbox_app: SandboxApp, qtbot: Any) -> None:
    """Duplicate 4: the customer's phone has 40 newer orders (a reseller); the reply is lost
    after commit. The lookup reads page after page, finds the order: one order, one send."""
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    app.control("POST", "/__sandbox/seed-orders", json={
        "store_id": 3288, "customer_phone": "6281398765432", "count": 40,
        "created_offset_s": 600,
    })  # fmt: skip
    _to_checkout(app)
    _arm(app, {"fault": "drop_after_commit", "method": "POST", "path": "/v3/orders"})
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=15000)
    assert len(app.requests()) == 1
    lookups = app.requests("GET", "/v3/orders")
    assert any("next_cursor" in (r.get("query") or "") for r in lookups), lookups[:3]
    order = app.controller.order
    assert order is not None
    pos_ref = app.requests()[0]["json"]["metadata"]["pos_ref"]
    orders = app.control("GET", "/__sandbox/orders")["data"]
    assert [o["id"] for o in orders if (o.get("metadata") or {}).get("pos_ref") == pos_ref] == [
        order.id
    ]
