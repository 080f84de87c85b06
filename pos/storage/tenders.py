"""How each sale was paid at the counter, and the cashier's shifts (issue 13).

A tender row is written BEFORE the order is submitted (keyed by the sale's ``pos_ref``): for
cash it says "cash received, not yet marked paid" (``mark_paid = 'pending'``) so a crash,
timeout or restart resumes the mark-paid step; every sale also waits to be tagged with the
terminal. The aftercare service (``pos.services.tender``) only acts on sales whose journal
record has an order id, so it can never create an order.

``mark_paid``: ``pending`` (cash, not yet confirmed by the server), ``done``, ``forbidden``
(the key lacks ``order:change_status``: the cashier confirms it in the Scalev dashboard), or
``none`` (not a cash sale).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .db import Database

PENDING, DONE, FORBIDDEN, NONE = "pending", "done", "forbidden", "none"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Tender:
    pos_ref: str
    created_at: str
    updated_at: str
    kind: str  # "cash" or the API payment method ("qris", "payment_link", "va_bca", …)
    payment_method: str  # the method the order was created with
    total: int
    discount: int
    received: int
    change_due: int
    terminal: str
    shift_id: int | None
    mark_paid: str
    tagged: bool
    attempts: int
    next_try_at: str | None
    last_error: str | None

    @property
    def is_cash(self) -> bool:
        return self.kind == "cash"

    @property
    def aftercare_done(self) -> bool:
        return self.tagged and self.mark_paid != PENDING


_COLUMNS = (
    "pos_ref, created_at, updated_at, kind, payment_method, total, discount, received, "
    "change_due, terminal, shift_id, mark_paid, tagged, attempts, next_try_at, last_error"
)


def _row(r: tuple[Any, ...]) -> Tender:
    return Tender(
        pos_ref=r[0],
        created_at=r[1],
        updated_at=r[2],
        kind=r[3],
        payment_method=r[4],
        total=int(r[5]),
        discount=int(r[6]),
        received=int(r[7]),
        change_due=int(r[8]),
        terminal=r[9],
        shift_id=None if r[10] is None else int(r[10]),
        mark_paid=r[11],
        tagged=bool(r[12]),
        attempts=int(r[13]),
        next_try_at=r[14],
        last_error=r[15],
    )


@dataclass(frozen=True)
class Shift:
    id: int
    terminal: str
    opened_at: str
    closed_at: str | None
    opening_cash: int
    counted_cash: int | None
    report: dict[str, Any] | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def _shift(r: tuple[Any, ...]) -> Shift:
    return Shift(
        id=int(r[0]),
        terminal=r[1],
        opened_at=r[2],
        closed_at=r[3],
        opening_cash=int(r[4]),
        counted_cash=None if r[5] is None else int(r[5]),
        report=json.loads(r[6]) if r[6] else None,
    )


_SHIFT_COLUMNS = "id, terminal, opened_at, closed_at, opening_cash, counted_cash, report_json"


class TenderStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- tenders ---------------------------------------------------------------------
    def record(
        self,
        pos_ref: str,
        *,
        kind: str,
        payment_method: str,
        total: int,
        terminal: str,
        discount: int = 0,
        received: int = 0,
        shift_id: int | None = None,
    ) -> Tender:
        """Write the tender before the order is submitted (one per pos_ref; a second call
        for the same pos_ref keeps the first)."""
        if kind == "cash" and received < total:
            raise ValueError("cash received is less than the total")
        now = _now()
        change = max(0, received - total) if kind == "cash" else 0
        with self._db.transaction() as c:
            c.execute(
                f"INSERT OR IGNORE INTO tenders ({_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, NULL, NULL)",
                (
                    pos_ref,
                    now,
                    now,
                    kind,
                    payment_method,
                    int(total),
                    int(discount),
                    int(received),
                    change,
                    terminal,
                    shift_id,
                    PENDING if kind == "cash" else NONE,
                ),
            )
        tender = self.get(pos_ref)
        assert tender is not None
        return tender

    def get(self, pos_ref: str) -> Tender | None:
        with self._db.reading() as c:
            r = c.execute(
                f"SELECT {_COLUMNS} FROM tenders WHERE pos_ref = ?", (pos_ref,)
            ).fetchone()
        return None if r is None else _row(r)

    def open_aftercare(self) -> list[Tender]:
        """Tenders still to mark paid or to tag, oldest first."""
        with self._db.reading() as c:
            rows = c.execute(
                f"SELECT {_COLUMNS} FROM tenders WHERE mark_paid = ? OR tagged = 0 "
                "ORDER BY created_at, rowid",
                (PENDING,),
            ).fetchall()
        return [_row(r) for r in rows]

    def _update(self, pos_ref: str, sql: str, params: tuple[Any, ...]) -> None:
        with self._db.transaction() as c:
            c.execute(
                f"UPDATE tenders SET updated_at = ?, {sql} WHERE pos_ref = ?",
                (_now(), *params, pos_ref),
            )

    def discard(self, pos_ref: str) -> None:
        """Forget a tender whose sale never became an order (rejected, abandoned, joined)."""
        with self._db.transaction() as c:
            c.execute("DELETE FROM tenders WHERE pos_ref = ?", (pos_ref,))

    def mark_paid_done(self, pos_ref: str) -> None:
        self._update(pos_ref, "mark_paid = ?, last_error = NULL", (DONE,))

    def mark_paid_forbidden(self, pos_ref: str, error: str) -> None:
        self._update(pos_ref, "mark_paid = ?, last_error = ?", (FORBIDDEN, error[:500]))

    def mark_tagged(self, pos_ref: str) -> None:
        self._update(pos_ref, "tagged = 1", ())

    def defer(self, pos_ref: str, next_try_at: str) -> None:
        """Look again later (the sale has no order yet); not a failed attempt."""
        self._update(pos_ref, "next_try_at = ?", (next_try_at,))

    def failed_attempt(self, pos_ref: str, error: str, next_try_at: str) -> None:
        self._update(
            pos_ref,
            "attempts = attempts + 1, last_error = ?, next_try_at = ?",
            (error[:500], next_try_at),
        )

    def for_shift(self, shift_id: int) -> list[Tender]:
        with self._db.reading() as c:
            rows = c.execute(
                f"SELECT {_COLUMNS} FROM tenders WHERE shift_id = ? ORDER BY created_at, rowid",
                (shift_id,),
            ).fetchall()
        return [_row(r) for r in rows]

    # --- shifts ----------------------------------------------------------------------
    def open_shift(self, terminal: str, opening_cash: int) -> Shift:
        if opening_cash < 0:
            raise ValueError("opening cash cannot be negative")
        current = self.current_shift(terminal)
        if current is not None:
            return current
        with self._db.transaction() as c:
            cur = c.execute(
                "INSERT INTO shifts (terminal, opened_at, opening_cash) VALUES (?, ?, ?)",
                (terminal, _now(), int(opening_cash)),
            )
            shift_id = int(cur.lastrowid or 0)
        shift = self.shift(shift_id)
        assert shift is not None
        return shift

    def current_shift(self, terminal: str) -> Shift | None:
        with self._db.reading() as c:
            r = c.execute(
                f"SELECT {_SHIFT_COLUMNS} FROM shifts WHERE terminal = ? AND closed_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (terminal,),
            ).fetchone()
        return None if r is None else _shift(r)

    def shift(self, shift_id: int) -> Shift | None:
        with self._db.reading() as c:
            r = c.execute(
                f"SELECT {_SHIFT_COLUMNS} FROM shifts WHERE id = ?", (shift_id,)
            ).fetchone()
        return None if r is None else _shift(r)

    def close_shift(
        self,
        shift_id: int,
        counted_cash: int,
        report: dict[str, Any],
        *,
        closed_at: str | None = None,
    ) -> Shift:
        if counted_cash < 0:
            raise ValueError("counted cash cannot be negative")
        with self._db.transaction() as c:
            c.execute(
                "UPDATE shifts SET closed_at = ?, counted_cash = ?, report_json = ? "
                "WHERE id = ? AND closed_at IS NULL",
                (
                    closed_at or _now(),
                    int(counted_cash),
                    json.dumps(report, ensure_ascii=False),
                    shift_id,
                ),
            )
        shift = self.shift(shift_id)
        assert shift is not None
        return shift

    def past_shifts(self, terminal: str | None = None, limit: int = 50) -> list[Shift]:
        sql = f"SELECT {_SHIFT_COLUMNS} FROM shifts WHERE closed_at IS NOT NULL"
        params: list[Any] = []
        if terminal is not None:
            sql += " AND terminal = ?"
            params.append(terminal)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(int(limit))
        with self._db.reading() as c:
            rows = c.execute(sql, params).fetchall()
        return [_shift(r) for r in rows]
