"""The cashier's shift (issue 13): open with the opening cash, close with the drawer counted.

The report is built from this terminal's own records — the tenders written before each order
(``pos.storage.tenders``) and the sale journal — so it works offline, and is reconciled with
the server's statuses of the orders tagged ``kasir-<terminal>`` (``GET /v3/orders?tags=…``)
when the server answers. Figures the server has not confirmed are counted and named.

Outputs: :func:`report_lines` (label/value pairs, the screen), :func:`report_text` (58/80 mm
paper, the same layout as receipts), :func:`report_escpos` (printer bytes), :func:`report_csv`.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from pos.api.errors import ScalevError
from pos.domain.money import format_idr
from pos.domain.order_status import is_paid
from pos.domain.payment_methods import METHOD_LABELS
from pos.storage.journal import SaleJournal, SaleState
from pos.storage.tenders import Shift, TenderStore

from .ports import OrderLister
from .tender import terminal_tag

log = logging.getLogger(__name__)

LIST_COLUMNS = ["id", "order_id", "status", "payment_status", "gross_revenue", "created_at"]


@dataclass
class Bucket:
    count: int = 0
    amount: int = 0

    def add(self, amount: int) -> None:
        self.count += 1
        self.amount += int(amount)


@dataclass
class ShiftReport:
    shift_id: int
    terminal: str
    opened_at: str
    closed_at: str | None
    opening_cash: int
    sales: Bucket = field(default_factory=Bucket)  # every sale not canceled
    discounts: int = 0
    by_tender: dict[str, Bucket] = field(default_factory=dict)  # "cash", "qris", "va_bca", …
    paid: Bucket = field(default_factory=Bucket)
    unpaid: Bucket = field(default_factory=Bucket)
    canceled: Bucket = field(default_factory=Bucket)
    cash_sales: int = 0  # cash taken (totals of cash sales; change already given back)
    counted_cash: int | None = None
    unconfirmed: Bucket = field(default_factory=Bucket)  # not (yet) confirmed by the server
    cash_not_marked_paid: Bucket = field(default_factory=Bucket)
    server_checked: bool = False  # the server answered when the report was made

    @property
    def gross(self) -> int:
        return self.sales.amount

    @property
    def expected_cash(self) -> int:
        return self.opening_cash + self.cash_sales

    @property
    def difference(self) -> int | None:
        return None if self.counted_cash is None else self.counted_cash - self.expected_cash

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["gross"] = self.gross
        data["expected_cash"] = self.expected_cash
        data["difference"] = self.difference
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShiftReport:
        def bucket(value: Any) -> Bucket:
            return Bucket(int(value.get("count", 0)), int(value.get("amount", 0)))

        return cls(
            shift_id=int(data["shift_id"]),
            terminal=str(data["terminal"]),
            opened_at=str(data["opened_at"]),
            closed_at=data.get("closed_at"),
            opening_cash=int(data["opening_cash"]),
            sales=bucket(data.get("sales", {})),
            discounts=int(data.get("discounts", 0)),
            by_tender={k: bucket(v) for k, v in (data.get("by_tender") or {}).items()},
            paid=bucket(data.get("paid", {})),
            unpaid=bucket(data.get("unpaid", {})),
            canceled=bucket(data.get("canceled", {})),
            cash_sales=int(data.get("cash_sales", 0)),
            counted_cash=data.get("counted_cash"),
            unconfirmed=bucket(data.get("unconfirmed", {})),
            cash_not_marked_paid=bucket(data.get("cash_not_marked_paid", {})),
            server_checked=bool(data.get("server_checked", False)),
        )


@dataclass(frozen=True)
class ServerOrder:
    payment_status: str
    status: str
    gross: int


def tender_label(kind: str, lang: str = "id") -> str:
    if kind == "cash":
        return "Tunai" if lang != "en" else "Cash"
    if kind == "payment_link":
        return "Link pembayaran" if lang != "en" else "Payment link"
    pair = METHOD_LABELS.get(kind)
    return (pair[1] if lang == "en" else pair[0]) if pair else kind


def build_report(
    shift: Shift,
    tenders: TenderStore,
    journal: SaleJournal,
    *,
    counted_cash: int | None = None,
    server: dict[str, ServerOrder] | None = None,
    closed_at: str | None = None,
) -> ShiftReport:
    """The shift's figures from the tenders and the journal; ``server`` (order id → status
    on the server) overrides the journal's statuses and marks those sales confirmed."""
    report = ShiftReport(
        shift_id=shift.id,
        terminal=shift.terminal,
        opened_at=shift.opened_at,
        closed_at=closed_at or shift.closed_at,
        opening_cash=shift.opening_cash,
        counted_cash=counted_cash,
        server_checked=server is not None,
    )
    for tender in tenders.for_shift(shift.id):
        rec = journal.get(tender.pos_ref)
        if rec is None or rec.state in (SaleState.REJECTED, SaleState.ABANDONED):
            continue
        order = rec.order or {}
        payment_status = rec.payment_status or str(order.get("payment_status") or "unpaid")
        status = str(order.get("status") or "pending")
        amount = tender.total
        confirmed = False
        if server is not None and rec.order_id and rec.order_id in server:
            s = server[rec.order_id]
            payment_status, status, amount, confirmed = s.payment_status, s.status, s.gross, True
        if not confirmed:
            report.unconfirmed.add(amount)
        if status == "canceled":
            report.canceled.add(amount)
            continue
        report.sales.add(amount)
        report.discounts += tender.discount
        report.by_tender.setdefault(tender.kind, Bucket()).add(amount)
        if tender.is_cash:
            report.cash_sales += tender.total  # the money is in the drawer either way
            if tender.mark_paid != "done" and not is_paid(payment_status):
                report.cash_not_marked_paid.add(amount)
        if is_paid(payment_status) or tender.is_cash:
            # cash in hand is paid even while Scalev has not been told (counted separately)
            report.paid.add(amount)
        else:
            report.unpaid.add(amount)
    return report


def report_lines(report: ShiftReport, lang: str = "id") -> list[tuple[str, str]]:
    """The report as (label, value) rows, in the order a cashier reads them."""
    en = lang == "en"

    def t(id_text: str, en_text: str) -> str:
        return en_text if en else id_text

    def n(b: Bucket) -> str:
        return f"{b.count} · {format_idr(b.amount)}"

    rows: list[tuple[str, str]] = [
        (t("Shift", "Shift"), f"#{report.shift_id} · {report.terminal}"),
        (t("Dibuka", "Opened"), _local(report.opened_at)),
    ]
    if report.closed_at:
        rows.append((t("Ditutup", "Closed"), _local(report.closed_at)))
    rows += [
        (t("Penjualan", "Sales"), str(report.sales.count)),
        (t("Penjualan kotor", "Gross sales"), format_idr(report.gross)),
        (t("Diskon", "Discounts"), format_idr(report.discounts)),
    ]
    for kind, bucket in sorted(report.by_tender.items()):
        rows.append(("  " + tender_label(kind, lang), n(bucket)))
    rows += [
        (t("Lunas", "Paid"), n(report.paid)),
        (t("Belum lunas", "Unpaid"), n(report.unpaid)),
    ]
    if report.canceled.count:
        rows.append((t("Dibatalkan", "Canceled"), n(report.canceled)))
    rows += [
        (t("Kas awal", "Opening cash"), format_idr(report.opening_cash)),
        (t("Penjualan tunai", "Cash sales"), format_idr(report.cash_sales)),
        (t("Kas seharusnya", "Expected cash"), format_idr(report.expected_cash)),
    ]
    if report.counted_cash is not None:
        diff = report.difference or 0
        rows += [
            (t("Kas dihitung", "Counted cash"), format_idr(report.counted_cash)),
            (t("Selisih", "Difference"), ("+" if diff > 0 else "") + format_idr(diff)),
        ]
    if not report.server_checked:
        rows.append(
            (
                t("Belum dicek ke server", "Not checked with the server"),
                t("semua angka dari catatan kasir", "all figures from this till"),
            )
        )
    elif report.unconfirmed.count:
        rows.append(
            (t("Belum dikonfirmasi server", "Not confirmed by the server"), n(report.unconfirmed))
        )
    if report.cash_not_marked_paid.count:
        rows.append(
            (
                t("Tunai belum ditandai lunas di Scalev", "Cash not yet marked paid in Scalev"),
                n(report.cash_not_marked_paid),
            )
        )
    return rows


def _local(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    return moment.strftime("%d-%m-%Y %H.%M")


def report_text(report: ShiftReport, columns: int = 32, lang: str = "id") -> str:
    from pos.receipts.text import center, left_right

    title = "LAPORAN SHIFT" if lang != "en" else "SHIFT REPORT"
    out = [*center(title, columns), "=" * columns]
    for label, value in report_lines(report, lang):
        out += left_right(label, value, columns)
    out.append("=" * columns)
    return "".join(line.rstrip() + "\n" for line in out)


def report_escpos(report: ShiftReport, width_mm: int = 58, lang: str = "id") -> bytes:
    from pos.receipts.escpos import (
        ALIGN_LEFT,
        CODEPAGE_WPC1252,
        FEED_AND_PARTIAL_CUT,
        INIT,
        MODE_NORMAL,
        encode_text,
        feed,
    )
    from pos.receipts.text import columns_for

    text = report_text(report, columns_for(width_mm), lang)
    body = b"".join(encode_text(line) + b"\n" for line in text.splitlines())
    return (
        INIT + CODEPAGE_WPC1252 + ALIGN_LEFT + MODE_NORMAL + body + feed(3) + FEED_AND_PARTIAL_CUT
    )


def report_csv(report: ShiftReport, lang: str = "id") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["item", "value"] if lang == "en" else ["item", "nilai"])
    for label, value in report_lines(report, lang):
        writer.writerow([label.strip(), value])
    return buf.getvalue()


class ShiftService:
    def __init__(
        self,
        tenders: TenderStore,
        journal: SaleJournal,
        client: OrderLister | None = None,
        *,
        terminal: str,
    ) -> None:
        self.tenders = tenders
        self.journal = journal
        self.client = client
        self.terminal = terminal

    def current(self) -> Shift | None:
        return self.tenders.current_shift(self.terminal)

    def open(self, opening_cash: int) -> Shift:
        return self.tenders.open_shift(self.terminal, opening_cash)

    def past(self, limit: int = 50) -> list[Shift]:
        return self.tenders.past_shifts(self.terminal, limit)

    def report(self, shift: Shift, counted_cash: int | None = None) -> ShiftReport:
        """Offline: from this till's records only."""
        return build_report(shift, self.tenders, self.journal, counted_cash=counted_cash)

    async def server_statuses(self, shift: Shift) -> dict[str, ServerOrder] | None:
        """The statuses of this terminal's tagged orders since the shift opened (newest
        first, so paging stops at the shift's start); None when the server cannot be asked."""
        if self.client is None:
            return None
        out: dict[str, ServerOrder] = {}
        opened = datetime.fromisoformat(shift.opened_at)
        try:
            async for item in self.client.list_orders(
                tags=terminal_tag(self.terminal), columns=LIST_COLUMNS
            ):
                created = item.created_at
                if created:
                    try:
                        when = datetime.fromisoformat(created.replace("Z", "+00:00"))
                    except ValueError:
                        when = None
                    # a minute of slack for clock skew between this till and the server
                    if when is not None and (opened - when).total_seconds() > 60:
                        break
                if item.id:
                    out[item.id] = ServerOrder(
                        str(item.payment_status or "unpaid"),
                        str(item.status or "pending"),
                        int(item.gross_revenue or 0),
                    )
        except (ScalevError, OSError) as exc:
            log.info("shift report: server not reachable (%s)", type(exc).__name__)
            return None
        return out

    async def reconciled(self, shift: Shift, counted_cash: int | None = None) -> ShiftReport:
        server = await self.server_statuses(shift)
        return build_report(
            shift, self.tenders, self.journal, counted_cash=counted_cash, server=server
        )

    async def close(self, counted_cash: int) -> ShiftReport:
        """Close the open shift with the counted drawer; the report (reconciled when the
        server answers) is saved with it."""
        shift = self.current()
        if shift is None:
            raise LookupError("no open shift")
        report = await self.reconciled(shift, counted_cash)
        report.closed_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        self.tenders.close_shift(
            shift.id, counted_cash, report.to_json(), closed_at=report.closed_at
        )
        return report
