"""A real "file too large" condition (RLIMIT_FSIZE in a child process) while journaling sales:
a clear StorageError with a cashier message, every committed step intact, integrity_check ok,
and the journal usable again once there is room.

(A size-limited tmpfs needs root to mount; RLIMIT_FSIZE gives SQLite a genuine write failure
anywhere. A real ENOSPC is classified ``storage_full``; EFBIG surfaces as SQLite's
``disk I/O error``.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pos.storage import Database, SaleJournal, SaleState
from tests.platforms import posix_only

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import resource, signal, sys
from pos.api.models import Order
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine, build_order_body
from pos.services.errors import user_message
from pos.storage import Database, SaleJournal, StorageError

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead of killing us
data_dir, limit = sys.argv[1], int(sys.argv[2])
journal = SaleJournal(Database.open(data_dir + "/kasir.db"))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
n = 0
try:
    while True:
        draft = SaleDraft(
            store_id=3288, store_unique_id="store_x", store_name="Toko Kopi",
            lines=(SaleLine("v:a", "variant", "variant_a", "Kopi", 1000, 1),),
            customer=Customer(f"Pelanggan {n}", f"62812{n:08d}", None), payment_method="qris",
            note="catatan " * 200,
        )
        ref = f"00000000-0000-4000-8000-{n:012d}"
        journal.new_sale(draft, build_order_body(draft, pos_ref=ref, terminal="K"))
        print("OK", ref, "draft", flush=True)
        journal.mark_sending(ref)
        print("OK", ref, "sending", flush=True)
        order = Order.model_validate({"id": f"order-{n}", "order_id": f"ORD{n}",
                                      "payment_url": "https://x.example/o/" + "p" * 3000})
        journal.mark_created(ref, order)
        print("OK", ref, "created", flush=True)
        n += 1
except StorageError as e:
    print("ERR", e.message_id, user_message(e, "en"), flush=True)
    # the failed step left the last committed state readable in this process too
    print("STILL", journal.get(ref).state.value if journal.get(ref) else "absent", flush=True)
"""


@posix_only("the resource module (RLIMIT_FSIZE) and SIGXFSZ")
def test_full_disk_while_journaling_gives_a_clear_error_and_no_corruption(tmp_path: Path) -> None:
    data = tmp_path / "kasir"
    Database.open(data / "kasir.db").close()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(data), str(160_000)],
        capture_output=True, text=True, check=False, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [line.split(" ", 2) for line in proc.stdout.splitlines()]
    err = [line for line in lines if line[0] == "ERR"]
    assert len(err) == 1, proc.stdout[-2000:]
    message_id, message = err[0][1], err[0][2]
    assert message_id == "storage_full"
    assert message and "Traceback" not in message and "sqlite" not in message.lower()
    committed: dict[str, str] = {}
    for line in lines:
        if line[0] == "OK":
            committed[line[1]] = line[2]
    assert len(committed) >= 2  # it really wrote before the limit hit
    still = next(line for line in lines if line[0] == "STILL")

    with Database.open(data / "kasir.db") as db:
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        journal = SaleJournal(db)
        records = {r.pos_ref: r for r in journal.recent(limit=10_000)}
        for ref, state in committed.items():  # every committed step survived
            assert records[ref].state == SaleState(state), ref
        failed_ref = max(records)
        assert set(records) - set(committed) <= {failed_ref}
        if still[1] != "absent":
            assert records[failed_ref].state == SaleState(still[1])
        # with room again, the same journal carries on
        rec = records[max(committed)]
        if rec.state != SaleState.CREATED:
            journal.mark_unknown(rec.pos_ref, "disk full")
            assert journal.get(rec.pos_ref).state == SaleState.UNKNOWN  # type: ignore[union-attr]
