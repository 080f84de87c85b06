"""The history screen's texts: dates, phone numbers, status labels and colours, the selected
sale's detail and the retry / abandon questions (plain functions of a ``HistoryRow``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.common.plain_text import shown

_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def indonesian_datetime(value: datetime) -> str:
    """``26 Nov 2026 14.05`` (Indonesian month abbreviations, ``HH.MM``)."""
    return f"{value.day} {_MONTHS_ID[value.month - 1]} {value.year} {value:%H.%M}"


def display_datetime(value: datetime) -> str:
    """The date as the receipt prints it in the UI's language: ``26 Nov 2026 14.05``, in
    English ``26 Nov 2026 14:05`` (``pos.receipts.model.format_receipt_date``)."""
    from pos.receipts.model import format_receipt_date
    from ui.common.i18n import lang

    return format_receipt_date(value, lang())


def local_phone(phone: str | None) -> str:
    """``6281234567890`` → ``0812-3456-7890`` (how cashiers write it)."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if len(digits) >= 10:
        return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"
    return digits


def status_label(status: str) -> str:
    labels = {
        "pending": ("Belum terkirim", "Pending"),
        "created": ("Menunggu bayar", "Unpaid"),
        "paid": ("Lunas", "Paid"),
        "canceled": ("Dibatalkan", "Canceled"),
        "failed": ("Gagal", "Failed"),
        "rejected": ("Ditolak", "Rejected"),
        "needs_decision": ("Perlu keputusan", "Needs decision"),
        "abandoned": ("Dibatalkan kasir", "Abandoned"),
    }
    pair = labels.get(status)
    return tr(*pair) if pair else status


def local_state_label(state: str) -> str:
    labels = {
        "draft": ("draf", "draft"),
        "sending": ("mengirim", "sending"),
        "created": ("dibuat", "created"),
        "unknown": ("dipastikan", "confirming"),
        "reconciled": ("dibuat (dicocokkan)", "created (matched)"),
        "rejected": ("ditolak", "rejected"),
        "failed": ("gagal", "failed"),
        "queued": ("antre", "queued"),
        "needs_decision": ("perlu keputusan", "needs decision"),
        "abandoned": ("dibatalkan", "abandoned"),
    }
    pair = labels.get(state)
    return tr(*pair) if pair else state


#: foreground / background colours of the status cell
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "pending": ("#9a3412", "#ffedd5"),
    "created": ("#1e40af", "#dbeafe"),
    "paid": ("#166534", "#dcfce7"),
    "canceled": ("#374151", "#e5e7eb"),
    "failed": ("#991b1b", "#fee2e2"),
    "rejected": ("#991b1b", "#fee2e2"),
    "needs_decision": ("#991b1b", "#fecaca"),
    "abandoned": ("#6b7280", "#f3f4f6"),
}


def detail_text(row: Any) -> str:
    """The selected sale under the table: store, customer, total and what to do next."""
    if row is None:
        return ""
    parts = [f"{shown(row.store_name)} · {shown(row.customer_name)} · {format_idr(row.total)}"]
    if row.status == "pending":
        parts.append(
            tr(
                "Belum terkirim — dikirim otomatis saat server bisa dihubungi.",
                "Not sent yet — sent automatically when the server can be reached.",
            )
        )
    elif row.status == "needs_decision":
        parts.append(
            tr(
                "Lebih dari 24 jam belum terkirim: pilih Coba lagi atau Batalkan.",
                "Pending for more than 24 h: choose Retry or Abandon.",
            )
        )
    if row.last_error and row.status in ("pending", "failed", "rejected", "needs_decision"):
        parts.append(tr("Kesalahan terakhir", "Last error") + f": {row.last_error}")
    return "\n".join(parts)


def retry_question(row: Any) -> str:
    return tr(
        f"Kirim penjualan {row.customer_name} ({format_idr(row.total)}) ke Scalev "
        "sekarang? Kasir memeriksa dulu apakah pesanan sudah ada, jadi tidak akan dobel.",
        f"Send the sale for {row.customer_name} ({format_idr(row.total)}) to Scalev "
        "now? Kasir checks first whether the order exists, so it is never doubled.",
        "\n\n",
    )


def abandon_question(row: Any) -> str:
    return tr(
        f"Batalkan penjualan {row.customer_name} ({format_idr(row.total)})? "
        "Penjualan ini tidak akan dikirim lagi. Bila ternyata pesanannya sudah ada di "
        "Scalev, penjualan tetap dipakai.",
        f"Abandon the sale for {row.customer_name} ({format_idr(row.total)})? "
        "It will not be sent again. If the order turns out to exist in Scalev, "
        "the sale is kept.",
        "\n\n",
    )
