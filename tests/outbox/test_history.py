"""HistoryService: local + remote status, search by name / phone (any format) / order number,
day filter, refresh from the server."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft
from pos.services import BackendUnavailable, CheckoutService, HistoryService, OutboxService
from pos.services.history import normalize_search_phone, status_of
from pos.storage import Database, SaleJournal, SaleState
from tests.fakes.scalev import FakeScalev
from tests.fakes.sleep import no_sleep
from tests.outbox.outbox_support import draft


def named(n: int, name: str, phone: str) -> SaleDraft:
    return dataclasses.replace(draft(n), customer=Customer(name, phone, None))


@pytest.mark.asyncio
async def test_history_rows_statuses_search_and_refresh(
    server: FakeScalev, journal: SaleJournal, db: Database
) -> None:
    checkout = CheckoutService(server, journal, sleep=no_sleep)  # type: ignore[arg-type]
    outbox = OutboxService(checkout, journal, sleep=no_sleep)
    history = HistoryService(journal, server, tz=UTC)
    paid = await checkout.submit(named(1, "Siti Rahmawati", "6281234567890"))
    canceled = await checkout.submit(named(2, "Budi Santoso", "6281398765432"))
    created = await checkout.submit(named(3, "Ayu Lestari", "6285711112222"))
    server.online = False
    with pytest.raises(BackendUnavailable) as ei:
        await checkout.submit(named(4, "Dewi Kartika", "6281922223333"))
    pending = ei.value.pos_ref
    assert pending
    server.online = True
    server.faults = ["status_422"]
    with pytest.raises(Exception, match="invalid"):
        await checkout.submit(named(5, "Rudi Hartono", "6281355554444"))
    abandoned = await _queued(server, checkout, named(6, "Joko Widodo", "6281366667777"))
    await outbox.abandon(abandoned)

    server.set_status(paid.order.id, payment_status="paid")
    server.set_status(canceled.order.id, status="canceled")
    row = await history.refresh(paid.pos_ref)
    assert row.status == "paid" and row.payment_status == "paid"
    assert (await history.refresh(canceled.pos_ref)).status == "canceled"
    assert (await history.refresh(pending)).status == "pending"  # nothing to read yet

    rows = history.list()
    assert [r.customer_name for r in rows] == [
        "Joko Widodo", "Rudi Hartono", "Dewi Kartika", "Ayu Lestari", "Budi Santoso",
        "Siti Rahmawati",
    ]  # fmt: skip
    by_name = {r.customer_name: r for r in rows}
    assert by_name["Siti Rahmawati"].status == "paid"
    assert by_name["Ayu Lestari"].status == "created" and by_name["Ayu Lestari"].can_show_payment
    assert by_name["Dewi Kartika"].status == "pending" and by_name["Dewi Kartika"].can_retry
    assert by_name["Rudi Hartono"].status == "rejected" and not by_name["Rudi Hartono"].can_retry
    assert by_name["Joko Widodo"].status == "abandoned"
    assert by_name["Ayu Lestari"].whatsapp_link() is not None
    assert by_name["Dewi Kartika"].whatsapp_link() is None  # no order yet
    assert created.pos_ref == by_name["Ayu Lestari"].pos_ref

    def names(search: str) -> list[str]:
        return [r.customer_name for r in history.list(search)]

    assert names("siti") == ["Siti Rahmawati"]
    for phone in ("0812-3456-7890", "+62 812 3456 7890", "812 3456 7890", "6281234567890"):
        assert names(phone) == ["Siti Rahmawati"], phone
    assert names("3456") == ["Siti Rahmawati"]
    number = by_name["Budi Santoso"].order_number
    assert number and names(number) == ["Budi Santoso"]
    assert names("tidak ada") == []

    # day filter (local calendar day of the service's time zone)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="milliseconds")
    db.conn.execute("UPDATE sales SET created_at = ? WHERE pos_ref = ?", (yesterday, paid.pos_ref))
    today = datetime.now(UTC).date()
    assert "Siti Rahmawati" not in [r.customer_name for r in history.list(day=today)]
    assert [r.customer_name for r in history.list(day=today - timedelta(days=1))] == [
        "Siti Rahmawati"
    ]
    assert history.list("budi", day=today)[0].customer_name == "Budi Santoso"
    assert history.list(day=date(2000, 1, 1)) == []
    got = history.get(paid.pos_ref)
    assert got is not None and got.created_at.tzinfo is not None


async def _queued(server: FakeScalev, checkout: CheckoutService, d: SaleDraft) -> str:
    server.online = False
    try:
        with pytest.raises(BackendUnavailable) as ei:
            await checkout.submit(d)
    finally:
        server.online = True
    assert ei.value.pos_ref
    return ei.value.pos_ref


def test_normalize_search_phone() -> None:
    assert normalize_search_phone("0812-3456") == "628123456"
    assert normalize_search_phone("+62 812 3456") == "628123456"
    assert normalize_search_phone("812 3456") == "628123456"
    assert normalize_search_phone("ab") is None


def test_status_of_needs_decision(journal: SaleJournal) -> None:
    d = draft(1)
    from pos.domain.sale import build_order_body

    ref = journal.new_sale(
        d, build_order_body(d, pos_ref="a" * 8 + "-0000-4000-8000-" + "0" * 12, terminal="K")
    )
    journal.mark_needs_decision(ref, "old")
    rec = journal.get(ref)
    assert rec is not None and rec.state == SaleState.NEEDS_DECISION
    assert status_of(rec) == "needs_decision"


@pytest.mark.asyncio
async def test_record_order_keeps_a_sale_in_step_with_an_order_read_elsewhere(
    server: FakeScalev, journal: SaleJournal
) -> None:
    checkout = CheckoutService(server, journal, sleep=no_sleep)  # type: ignore[arg-type]
    history = HistoryService(journal, server, tz=UTC)
    sale = await checkout.submit(named(1, "Siti Rahmawati", "6281234567890"))
    assert history.get(sale.pos_ref).status == "created"  # type: ignore[union-attr]
    unchanged = await server.get_order(sale.order.id)
    assert history.record_order(unchanged) is None  # nothing new: no write
    server.set_status(sale.order.id, payment_status="paid")
    paid = await server.get_order(sale.order.id)
    assert history.record_order(paid) == sale.pos_ref
    assert history.get(sale.pos_ref).status == "paid"  # type: ignore[union-attr]
    assert history.record_order(paid) is None
    other = paid.model_copy(update={"id": "not-a-sale-of-this-till"})
    assert history.record_order(other) is None
