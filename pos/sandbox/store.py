"""SQLite persistence for sandbox orders (``<data_dir>/sandbox.sqlite3``)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    order_id TEXT NOT NULL UNIQUE,
    secret_slug TEXT NOT NULL UNIQUE,
    store_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    payment_status TEXT NOT NULL,
    payment_method TEXT,
    customer_name TEXT,
    customer_phone TEXT,
    customer_email TEXT,
    gross_revenue TEXT,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_newest ON orders(created_at, seq);
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
"""

SEARCH_COLUMNS = {
    "order_id": "order_id",
    "customer_name": "customer_name",
    "customer_phone": "customer_phone",
    "customer_email": "customer_email",
    "gross_revenue": "gross_revenue",
}


class OrderStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        # Customer ids start at a realistic-looking number.
        self._db.execute(
            "INSERT OR IGNORE INTO sqlite_sequence(name, seq) "
            "SELECT 'customers', 28000 WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = 'customers')"
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def customer_id(self, key: str, now: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT id FROM customers WHERE key = ?", (key,)).fetchone()
            if row:
                return int(row[0])
            cur = self._db.execute(
                "INSERT INTO customers(key, created_at) VALUES (?, ?)", (key, now)
            )
            return int(cur.lastrowid or 0)

    def insert(self, doc: dict[str, Any]) -> None:
        customer = doc.get("customer") or {}
        with self._lock:
            self._db.execute(
                "INSERT INTO orders(id, order_id, secret_slug, store_id, status, payment_status,"
                " payment_method, customer_name, customer_phone, customer_email, gross_revenue,"
                " created_at, doc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc["id"],
                    doc["order_id"],
                    doc["secret_slug"],
                    doc["store"]["id"],
                    doc["status"],
                    doc["payment_status"],
                    doc["payment_method"],
                    customer.get("name"),
                    customer.get("phone"),
                    customer.get("email"),
                    doc["gross_revenue"],
                    doc["created_at"],
                    json.dumps(doc),
                ),
            )

    def update(self, doc: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE orders SET status = ?, payment_status = ?, doc = ? WHERE id = ?",
                (doc["status"], doc["payment_status"], json.dumps(doc), doc["id"]),
            )

    def _one(self, column: str, value: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT doc FROM orders WHERE {column} = ?", (value,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def get(self, order_id: str) -> dict[str, Any] | None:
        return self._one("id", order_id)

    def get_by_slug(self, slug: str) -> dict[str, Any] | None:
        return self._one("secret_slug", slug)

    def exists_order_number(self, order_number: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM orders WHERE order_id = ?", (order_number,)
            ).fetchone()
        return row is not None

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM orders").fetchone()[0])

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT doc FROM orders ORDER BY created_at DESC, seq DESC"
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def page(
        self,
        *,
        filters: dict[str, Any],
        after_seq: int | None,
        before_seq: int | None,
        limit: int,
    ) -> list[tuple[int, dict[str, Any]]]:
        """Newest first (``created_at``, then insertion order). ``after_seq``: rows older than the
        row ``after_seq``; ``before_seq``: rows newer than it.

        Returns up to ``limit`` rows (seq, doc), always in newest-first order.
        """
        where: list[str] = []
        args: list[Any] = []
        for column in ("store_id", "status", "payment_status", "payment_method"):
            if filters.get(column) is not None:
                where.append(f"{column} = ?")
                args.append(filters[column])
        if filters.get("order_id_exact"):
            where.append("order_id = ?")
            args.append(filters["order_id_exact"])
        for tag in (filters.get("tags") or "").split(","):
            if tag.strip():  # every comma-separated tag must be on the order
                where.append("EXISTS (SELECT 1 FROM json_each(doc, '$.tags') WHERE value = ?)")
                args.append(tag.strip())
        search = filters.get("search")
        if search:
            search_column = SEARCH_COLUMNS.get(filters.get("search_field") or "order_id")
            if search_column is None:
                where.append("0")
            elif search_column == "customer_phone":
                digits = "".join(ch for ch in search if ch.isdigit())
                if digits.startswith("0"):
                    digits = "62" + digits[1:]
                where.append("customer_phone LIKE ?")
                args.append(f"%{digits or search}%")
            else:
                where.append(f"lower({search_column}) LIKE ?")
                args.append(f"%{search.lower()}%")
        order = "DESC"
        anchor = "(SELECT created_at, seq FROM orders WHERE seq = ?)"
        if after_seq is not None:
            where.append(f"(created_at, seq) < {anchor}")
            args.append(after_seq)
        elif before_seq is not None:
            where.append(f"(created_at, seq) > {anchor}")
            args.append(before_seq)
            order = "ASC"
        sql = "SELECT seq, doc FROM orders"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY created_at {order}, seq {order} LIMIT ?"
        args.append(limit)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        result = [(int(seq), json.loads(doc)) for seq, doc in rows]
        if order == "ASC":
            result.reverse()
        return result
