"""Helpers of the history tests: a running Kasir session and a journal seeded before it starts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pos.api.models import Order
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, build_order_body
from pos.storage import Database, SaleJournal
from tests.e2e.e2e_support import make_draft, sale_spec
from tests.sandbox.helpers import SandboxControl

DIGITAL_STORE = "Toko Kopi Nusantara"


class Kasir:
    """Start / stop a real Kasir session (``start_session``) on ``data_dir``."""

    def __init__(self, qtbot: Any, qapp: QApplication, server: Any, data_dir: Path) -> None:
        self.qtbot = qtbot
        self.qapp = qapp
        self.server = server
        self.data_dir = data_dir
        self.session: Any = None
        self.ctl = SandboxControl(server)

    # --- the journal, before the app starts ---
    def spec(self) -> dict[str, Any]:
        with self.ctl.client() as http:
            return sale_spec(http)

    def seed(self, draft: SaleDraft, state: str, order: Order | None = None) -> str:
        """Journal ``draft`` and move it to ``state`` (as a previous run would have)."""
        pos_ref = str(uuid.uuid4())
        body = build_order_body(draft, pos_ref=pos_ref, terminal="KASIR-01")
        with Database.open(self.data_dir / "kasir.sqlite3") as db:
            journal = SaleJournal(db)
            journal.new_sale(draft, body)
            if state in ("sending", "created", "unknown"):
                journal.mark_sending(pos_ref)
            if state == "created":
                assert order is not None
                journal.mark_created(pos_ref, order)
            elif state == "unknown":
                journal.mark_unknown(pos_ref, "read timeout")
            elif state == "queued":
                journal.mark_queued(pos_ref, "connection refused")
            elif state == "failed":
                journal.mark_failed(pos_ref, "401 API key rejected")
        return pos_ref

    def age(self, pos_ref: str, hours: float) -> None:
        """Pretend the sale was taken ``hours`` ago."""
        when = datetime.now(UTC) - timedelta(hours=hours)
        with Database.open(self.data_dir / "kasir.sqlite3") as db, db.transaction() as c:
            c.execute(
                "UPDATE sales SET created_at = ? WHERE pos_ref = ?",
                (when.isoformat(timespec="milliseconds"), pos_ref),
            )

    def post_order(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.ctl.client() as http:
            response = http.post("/v3/orders", json=body)
            response.raise_for_status()
            payload: dict[str, Any] = response.json()
            data: dict[str, Any] = payload.get("data", payload)
            return data

    # --- the app ---
    def start(self) -> Any:
        from ui.app import Config, start_session

        config = Config(data_dir=self.data_dir, poll_interval=0.2)
        task = asyncio.ensure_future(start_session(config, sandbox=self.server))
        self.qtbot.waitUntil(task.done, timeout=20000)
        self.session = task.result()
        self.session.sandbox = None  # the fixture owns the sandbox
        # up: the pages are built and the client made, a step per event-loop turn after the
        # first paint
        self.qtbot.waitUntil(lambda: self.session.client.created, timeout=10000)
        return self.session

    @property
    def window(self) -> Any:
        return self.session.window

    def choose_store(self, name: str = DIGITAL_STORE) -> None:
        w = self.window
        self.qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=10000)
        idx = w.store_selector.findText(name)
        assert idx >= 0
        w.store_selector.setCurrentIndex(idx)
        w.store_selector.activated.emit(idx)
        c = self.session.controller
        self.qtbot.waitUntil(
            lambda: (
                c.store is not None
                and c.store.name == name
                and not self.session.runner.is_busy("catalog")
                and w.catalog.model.total_count() > 0
            ),
            timeout=15000,
        )

    def stop(self) -> None:
        if self.session is None:
            return
        session, self.session = self.session, None
        done = asyncio.ensure_future(session.aclose())
        loop = asyncio.get_event_loop()
        deadline = loop.time() + 10
        while not done.done() and loop.time() < deadline:
            self.qapp.processEvents()
        if not done.done():
            import io

            out = io.StringIO()
            done.print_stack(file=out)
            for t in asyncio.all_tasks(loop):
                t.print_stack(file=out)
            raise AssertionError("the session did not shut down\n" + out.getvalue())
        done.result()  # re-raises a failed shutdown
        assert not session.lock.held
        session.window.close()
        session.window.deleteLater()
        QTest.qWait(0)


def created_order(n: int, number: str, total: int = 49000) -> Order:
    return Order.model_validate(
        {
            "id": str(uuid.uuid4()),
            "order_id": number,
            "payment_url": f"https://app.scalev.id/o/slug{n}/success",
            "status": "pending",
            "payment_status": "unpaid",
            "payment_method": "payment_link",
            "gross_revenue": Decimal(total),
        }
    )


def named_draft(spec: dict[str, Any], name: str, phone: str, qty: int = 1) -> SaleDraft:
    base = make_draft(spec, 1, qty)
    return SaleDraft(
        store_id=base.store_id,
        store_unique_id=base.store_unique_id,
        store_name=base.store_name,
        lines=base.lines,
        customer=Customer(name, phone, None),
        payment_method=base.payment_method,
    )


@pytest.fixture
def kasir(
    qtbot: Any, qapp: QApplication, qloop: Any, sandbox_server: Any, tmp_path: Path
) -> Iterator[Kasir]:
    app = Kasir(qtbot, qapp, sandbox_server, tmp_path / "kasir")
    app.data_dir.mkdir(parents=True, exist_ok=True)
    yield app
    app.stop()
