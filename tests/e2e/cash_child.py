"""A minimal Kasir process for the cash kill -9 test: one cash sale through TenderingCheckout.

    python tests/e2e/cash_child.py DATA_DIR BASE_URL API_KEY SPEC_JSON N

With ``KASIR_TEST_KILL_AT=<hook point>`` it SIGKILLs itself at that point of the checkout
(``after_reply_before_journal``: the order exists, the journal does not know; ``after_journal``:
the order is recorded, the mark-paid step has not run).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import sys
from pathlib import Path

from pos.api.client import ScalevClient
from pos.services.checkout import CheckoutService
from pos.services.tender import Aftercare, TenderingCheckout
from pos.storage import Database, DataDirLock, SaleJournal
from pos.storage.tenders import TenderStore
from tests.e2e.e2e_support import KILL_ENV, make_draft


def main() -> None:
    data_dir, base_url, api_key, spec_json, n = sys.argv[1:6]
    kill_at = os.environ.get(KILL_ENV, "")
    lock = DataDirLock(data_dir)
    lock.acquire()
    db = Database.open(Path(data_dir) / "kasir.db")
    journal = SaleJournal(db)
    tenders = TenderStore(db)

    def hook(point: str, pos_ref: str) -> None:
        if point == "before_send":
            print("SENDING", pos_ref, flush=True)
        if point == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    async def run() -> None:
        async with ScalevClient(base_url, api_key, read_timeout=30.0, max_retries=0) as client:
            checkout = CheckoutService(client, journal, terminal="KASIR-E2E", hooks=hook)
            aftercare = Aftercare(client, journal, tenders, terminal="KASIR-E2E")
            tendering = TenderingCheckout(checkout, tenders, aftercare)
            draft = make_draft(json.loads(spec_json), int(n))
            cash = dataclasses.replace(
                draft,
                payment_method="no_payment",
                tender="cash",
                cash_received=draft.total + 10_000,
            )
            result = await tendering.submit(cash)
            print("DONE", result.pos_ref, result.order.id, flush=True)

    asyncio.run(run())
    db.close()
    lock.release()


if __name__ == "__main__":
    main()
