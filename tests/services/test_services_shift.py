"""The shift report (issue 13): five mixed sales against the real sandbox; the totals match
the server's statistics for the terminal's tag; offline it says what is not confirmed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from pos.api.client import ScalevClient
from pos.domain.cart import Cart
from pos.domain.customer import make_customer
from pos.domain.discount import Discount
from pos.domain.sale import draft_from_cart
from pos.sandbox import DEMO_API_KEY, SandboxServer
from pos.services import CatalogService, CheckoutService
from pos.services.shift import (
    ShiftReport,
    ShiftService,
    report_csv,
    report_escpos,
    report_lines,
    report_text,
)
from pos.services.tender import Aftercare, TenderingCheckout
from pos.storage import Database, SaleJournal
from pos.storage.tenders import TenderStore
from tests.conftest import SandboxControl
from tests.fakes.sleep import no_sleep

KOPI = 3288


async def drafts(client: Any) -> dict[str, Any]:
    svc = CatalogService(client)
    store = next(s for s in await svc.list_stores() if s.id == KOPI)
    items = {i.sku: i for i in await svc.load(store)}
    customer = make_customer("Siti Rahmawati", "081234567890", "")

    def draft(skus: list[str], method: str, discount: int = 0, cash: int | None = None) -> Any:
        cart = Cart()
        for sku in skus:
            cart.add(items[sku])
        if discount:
            cart.discount = Discount("amount", discount)
        return draft_from_cart(store, cart, customer, method, cash_received=cash)

    return {
        # Rp49.000 + Rp79.000 − Rp43.000 = Rp85.000 cash, Rp100.000 given
        "cash1": draft(["EBOOK-SEDUH", "EBOOK-KEDAI"], "no_payment", 43_000, 100_000),
        "cash2": draft(["EBOOK-SEDUH"], "no_payment", 0, 50_000),  # Rp49.000
        "qris_paid": draft(["EBOOK-KEDAI"], "qris"),  # Rp79.000
        "link_unpaid": draft(["EBOOK-SEDUH"], "payment_link", 4_000),  # Rp45.000
        "va_canceled": draft(["EBOOK-KEDAI"], "va_bca"),  # Rp79.000, canceled
    }


@pytest.mark.asyncio
async def test_shift_with_five_mixed_sales(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    journal, tenders = SaleJournal(db), TenderStore(db)
    shifts = ShiftService(tenders, journal, client, terminal="KASIR-01")
    shift = shifts.open(200_000)
    assert shifts.open(999) == shift  # one open shift per terminal
    tendering = TenderingCheckout(
        CheckoutService(client, journal, terminal="KASIR-01", sleep=no_sleep),
        tenders,
        Aftercare(client, journal, tenders, terminal="KASIR-01"),
        shift_id=lambda: s.id if (s := shifts.current()) else None,
    )
    results = {k: await tendering.submit(d) for k, d in (await drafts(client)).items()}
    sandbox_ctl.pay(results["qris_paid"].order.id)
    sandbox_ctl.cancel(results["va_canceled"].order.id)

    # offline (from this till): the QRIS payment and the cancel are not known yet
    offline = shifts.report(shift)
    assert not offline.server_checked
    assert offline.sales.count == 5 and offline.gross == 85_000 + 49_000 + 79_000 + 45_000 + 79_000

    report = await shifts.close(250_000)
    assert report.server_checked and report.unconfirmed.count == 0
    assert report.sales.count == 4
    assert report.gross == 85_000 + 49_000 + 79_000 + 45_000
    assert report.discounts == 43_000 + 4_000
    assert report.canceled.count == 1 and report.canceled.amount == 79_000
    assert {k: (b.count, b.amount) for k, b in report.by_tender.items()} == {
        "cash": (2, 134_000),
        "qris": (1, 79_000),
        "payment_link": (1, 45_000),
    }
    assert (report.paid.count, report.paid.amount) == (3, 213_000)
    assert (report.unpaid.count, report.unpaid.amount) == (1, 45_000)
    assert report.expected_cash == 200_000 + 134_000
    assert report.difference == 250_000 - 334_000
    assert shifts.current() is None

    # the same figures as the server's own statistics for the terminal's tag
    stats = await client.order_statistics(tags="kasir-01", is_breakdown_status="true")
    by_status = {s.status: (s.count, int(s.gross_revenue)) for s in stats}
    assert by_status.pop("canceled") == (1, 79_000)
    assert sum(c for c, _ in by_status.values()) == report.sales.count
    assert sum(g for _, g in by_status.values()) == report.gross
    paid = await client.order_statistics(tags="kasir-01", payment_status="paid")
    assert (paid[0].count, int(paid[0].gross_revenue)) == (report.paid.count, report.paid.amount)

    # saved with the shift, listed among the past shifts, printable
    past = shifts.past()
    assert [s.id for s in past] == [shift.id] and past[0].counted_cash == 250_000
    assert past[0].report is not None
    again = ShiftReport.from_json(past[0].report)
    assert report_lines(again) == report_lines(report)
    text58 = report_text(report, 32)
    assert all(len(line) <= 32 for line in text58.splitlines())
    assert "Rp334.000" in text58 and "-Rp84.000" in text58
    assert report_text(report, 48).count("\n") <= text58.count("\n")
    raw = report_escpos(report, 80)
    assert raw.startswith(b"\x1b@") and b"Rp334.000" in raw
    csv_text = report_csv(report, "en")
    assert "Expected cash,Rp334.000" in csv_text and "Difference,-Rp84.000" in csv_text


@pytest.mark.asyncio
async def test_offline_close_says_nothing_is_confirmed(
    client: ScalevClient, db: Database, sandbox: SandboxServer
) -> None:
    journal, tenders = SaleJournal(db), TenderStore(db)
    shifts = ShiftService(tenders, journal, client, terminal="KASIR-01")
    shifts.open(0)
    tendering = TenderingCheckout(
        CheckoutService(client, journal, terminal="KASIR-01", sleep=no_sleep),
        tenders,
        Aftercare(client, journal, tenders, terminal="KASIR-01"),
        shift_id=lambda: s.id if (s := shifts.current()) else None,
    )
    d = (await drafts(client))["cash2"]
    await tendering.submit(d)
    await tendering.submit(replace(d, cash_received=60_000))
    async with ScalevClient("http://127.0.0.1:9", DEMO_API_KEY, max_retries=0) as offline:
        shifts.client = offline
        report = await shifts.close(98_000)
    assert not report.server_checked
    assert report.sales.count == 2 and report.cash_sales == 98_000 and report.difference == 0
    labels = [label for label, _ in report_lines(report, "en")]
    assert "Not checked with the server" in labels
