from __future__ import annotations

import sqlite3

import pytest

from pos.api.models import Order
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine, build_order_body
from pos.storage import Database, JournalStateError, SaleJournal, SaleState, StorageError

REF = "0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f40"


def draft(name: str = "Siti Rahmawati", phone: str = "6281234567890") -> SaleDraft:
    return SaleDraft(
        store_id=3288,
        store_unique_id="store_X",
        store_name="Toko",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 85000, 2),),
        customer=Customer(name, phone, None),
        payment_method="qris",
    )


def order(oid: str = "0196d2a4-0000-7000-8000-000000000001", **kw: object) -> Order:
    data: dict[str, object] = {
        "id": oid,
        "order_id": "260514KQWZPD",
        "payment_url": "https://shop.example/o/abc/success",
        "payment_status": "unpaid",
        "status": "pending",
        "gross_revenue": "170000.00",
    }
    data.update(kw)
    return Order.model_validate(data)


def test_new_sale_freezes_body_before_sending(journal: SaleJournal) -> None:
    d = draft()
    body = build_order_body(d, pos_ref=REF, terminal="K1")
    ref = journal.new_sale(d, body)
    assert ref == REF
    rec = journal.get(REF)
    assert rec is not None
    assert rec.state == SaleState.DRAFT and rec.attempts == 0
    assert rec.body == body and rec.body["metadata"]["pos_ref"] == REF
    assert rec.total == 170000 and rec.customer_phone == "6281234567890"
    assert rec.store_id == 3288 and rec.store_unique_id == "store_X"
    assert rec.created_at.endswith("+00:00") and rec.order is None


def test_new_sale_without_ref_gets_uuid(journal: SaleJournal) -> None:
    ref = journal.new_sale(draft(), {"store_unique_id": "store_X"})
    rec = journal.get(ref)
    assert rec is not None and rec.body["metadata"] == {"pos_ref": ref} and len(ref) == 36


def test_duplicate_pos_ref_is_refused(journal: SaleJournal) -> None:
    body = build_order_body(draft(), pos_ref=REF, terminal="K1")
    journal.new_sale(draft(), body)
    with pytest.raises(StorageError):
        journal.new_sale(draft(), body)


def test_happy_transitions(journal: SaleJournal) -> None:
    journal.new_sale(draft(), build_order_body(draft(), pos_ref=REF, terminal="K"))
    journal.mark_sending(REF)
    journal.mark_created(REF, order())
    rec = journal.get(REF)
    assert rec is not None
    assert rec.state == SaleState.CREATED and rec.is_done and rec.is_final
    assert rec.attempts == 1 and rec.order_number == "260514KQWZPD"
    assert rec.order_id == "0196d2a4-0000-7000-8000-000000000001"
    assert rec.payment_url and rec.payment_status == "unpaid"
    assert rec.order is not None and rec.order["gross_revenue"] == "170000.00"
    assert journal.unfinished() == []
    assert rec.order_id is not None and journal.by_order_id(rec.order_id) == rec


def test_unknown_then_reconciled(journal: SaleJournal) -> None:
    journal.new_sale(draft(), build_order_body(draft(), pos_ref=REF, terminal="K"))
    journal.mark_sending(REF)
    journal.mark_unknown(REF, TimeoutError("read timeout"))
    rec = journal.get(REF)
    assert rec is not None and rec.state == SaleState.UNKNOWN
    assert rec.last_error == "TimeoutError: read timeout"
    assert [r.pos_ref for r in journal.unfinished()] == [REF]
    journal.mark_created(REF, order(), adopted=True)
    rec = journal.get(REF)
    assert rec is not None and rec.state == SaleState.RECONCILED and rec.is_done
    assert rec.last_error is None


def test_final_states_cannot_move(journal: SaleJournal) -> None:
    journal.new_sale(draft(), build_order_body(draft(), pos_ref=REF, terminal="K"))
    journal.mark_sending(REF)
    journal.mark_rejected(REF, "Warehouse tidak ditemukan")
    for move in (
        journal.mark_sending,
        journal.mark_unknown,
        journal.mark_queued,
        journal.mark_failed,
        lambda r: journal.mark_created(r, order()),
    ):
        with pytest.raises(JournalStateError):
            move(REF)
    rec = journal.get(REF)
    assert rec is not None and rec.state == SaleState.REJECTED
    assert rec.last_error == "Warehouse tidak ditemukan"


def test_unknown_pos_ref(journal: SaleJournal) -> None:
    assert journal.get("nope") is None
    with pytest.raises(JournalStateError):
        journal.mark_sending("nope")


def test_queued_failed_and_attempts(journal: SaleJournal) -> None:
    journal.new_sale(draft(), build_order_body(draft(), pos_ref=REF, terminal="K"))
    journal.mark_sending(REF)
    journal.mark_queued(REF, "offline")
    assert journal.get(REF).state == SaleState.QUEUED  # type: ignore[union-attr]
    journal.mark_sending(REF)
    journal.mark_failed(REF, "HTTP 401")
    assert journal.unfinished() == []  # failed waits for the cashier, not for auto-retry
    journal.mark_sending(REF)
    assert journal.get(REF).attempts == 3  # type: ignore[union-attr]


def test_update_order_refreshes_payment(journal: SaleJournal) -> None:
    journal.new_sale(draft(), build_order_body(draft(), pos_ref=REF, terminal="K"))
    journal.mark_sending(REF)
    journal.mark_created(REF, order())
    journal.update_order(REF, order(payment_status="paid", payment_url=None))
    rec = journal.get(REF)
    assert rec is not None and rec.payment_status == "paid" and rec.payment_url
    assert rec.order is not None and rec.order["payment_status"] == "paid"


def test_recent_and_search(journal: SaleJournal) -> None:
    refs = []
    for i, (name, phone) in enumerate(
        [("Siti", "6281234567890"), ("Budi_Santoso", "6281398765432"), ("Ani 100%", "628555")]
    ):
        d = draft(name, phone)
        ref = f"00000000-0000-4000-8000-00000000000{i}"
        journal.new_sale(d, build_order_body(d, pos_ref=ref, terminal="K"))
        refs.append(ref)
    journal.mark_sending(refs[1])
    journal.mark_created(refs[1], order(order_id="ORDNUM77"))
    assert [r.pos_ref for r in journal.recent()] == refs[::-1]
    assert [r.customer_name for r in journal.recent("siti")] == ["Siti"]
    assert [r.customer_name for r in journal.recent("0813 9876")] == ["Budi_Santoso"]
    assert [r.customer_name for r in journal.recent("08139876")] == ["Budi_Santoso"]
    assert [r.customer_name for r in journal.recent("ordnum")] == ["Budi_Santoso"]
    assert [r.customer_name for r in journal.recent("100%")] == ["Ani 100%"]
    assert [r.customer_name for r in journal.recent("i_s")] == ["Budi_Santoso"]
    assert len(journal.recent(limit=1)) == 1


def test_each_transition_is_atomic(journal: SaleJournal, db: Database) -> None:
    journal.new_sale(draft(), build_order_body(draft(), pos_ref=REF, terminal="K"))
    # A second connection sees either the old or the new state, never a half-written row.
    other = sqlite3.connect(db.path)
    try:
        journal.mark_sending(REF)
        row = other.execute(
            "SELECT state, attempts FROM sales WHERE pos_ref = ?", (REF,)
        ).fetchone()
        assert row == ("sending", 1)
    finally:
        other.close()


def test_full_disk_during_transition_keeps_previous_state(
    journal: SaleJournal, db: Database
) -> None:
    journal.new_sale(draft(), build_order_body(draft(), pos_ref=REF, terminal="K"))
    journal.mark_sending(REF)
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")
    huge = order(notes="x" * 500_000)
    with pytest.raises(StorageError) as ei:
        journal.mark_created(REF, huge)
    assert ei.value.message_id == "storage_full"
    rec = journal.get(REF)
    assert rec is not None and rec.state == SaleState.SENDING and rec.order is None
