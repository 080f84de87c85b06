"""Helpers of the history tests: a running Kasir session and a journal seeded before it starts."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from pos.api.models import Order
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, build_order_body
from pos.storage import Database, SaleJournal
from tests.e2e.e2e_support import make_draft, sale_spec
from tests.sandbox.helpers import SandboxControl
from tests.ui.session_support import RunningKasir


class Kasir(RunningKasir):
    """A real Kasir session on ``data_dir``, whose journal can be seeded before it starts."""

    def __init__(self, qtbot: Any, qapp: QApplication, server: Any, data_dir: Path) -> None:
        super().__init__(qtbot, qapp, server, data_dir)
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
        from ui.app import Config

        self.open(Config(data_dir=self.data_dir, poll_interval=0.2))
        # up: the pages are built and the client made, a step per event-loop turn after the
        # first paint
        self.qtbot.waitUntil(lambda: self.session.client.created, timeout=10000)
        return self.session


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
    return dataclasses.replace(make_draft(spec, 1, qty), customer=Customer(name, phone, None))


@pytest.fixture
def kasir(
    qtbot: Any, qapp: QApplication, qloop: Any, sandbox_server: Any, tmp_path: Path
) -> Iterator[Kasir]:
    app = Kasir(qtbot, qapp, sandbox_server, tmp_path / "kasir")
    app.data_dir.mkdir(parents=True, exist_ok=True)
    yield app
    app.stop()
