"""A minimal Kasir process for the kill -9 tests: one sale through CheckoutService.

    python tests/e2e/sale_child.py DATA_DIR BASE_URL API_KEY SPEC_JSON N
    python tests/e2e/sale_child.py DATA_DIR BASE_URL API_KEY SPEC_JSON N cash
    python tests/e2e/sale_child.py DATA_DIR BASE_URL API_KEY recover

The second form is a cash sale through TenderingCheckout (the order, then the mark-paid step).
The third is an app restart after the sales' confirmation window: reconcile_at_start()
then the cashier's "send again" for each sale not found (killable the same way).
Prints ``SENDING <pos_ref>`` right before the request and ``DONE <pos_ref> <order id>`` at the
end. With ``KASIR_TEST_KILL_AT=<hook point>`` it SIGKILLs itself at that point of the checkout
(``before_send``, ``after_reply_before_journal``, ``after_journal``).
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
from pos.services.order_lookup import ConfirmPolicy
from pos.services.outbox import OutboxService
from pos.services.tender import Aftercare, TenderingCheckout
from pos.storage import Database, DataDirLock, SaleJournal
from pos.storage.tenders import TenderStore
from tests.e2e.e2e_support import KILL_ENV, make_draft


def main() -> None:
    data_dir, base_url, api_key, spec_json, *sale = sys.argv[1:]
    kill_at = os.environ.get(KILL_ENV, "")
    lock = DataDirLock(data_dir)
    lock.acquire()  # one Kasir per data dir, as the app does
    db = Database.open(Path(data_dir) / "kasir.db")
    journal = SaleJournal(db)

    def hook(point: str, pos_ref: str) -> None:
        if point == "before_send":
            print("SENDING", pos_ref, flush=True)
        if point == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    async def run() -> None:
        async with ScalevClient(base_url, api_key, read_timeout=30.0, max_retries=0) as client:
            if spec_json == "recover":
                checkout = CheckoutService(
                    client, journal, terminal="KASIR-E2E", hooks=hook,
                    policy=ConfirmPolicy(window=0.0),
                )  # fmt: skip
                outbox = OutboxService(checkout, journal)
                report = await outbox.reconcile_at_start()
                for ref in report.needs_decision:
                    await outbox.retry(ref)
                print("RECOVERED", len(report.created), flush=True)
                return
            checkout = CheckoutService(client, journal, terminal="KASIR-E2E", hooks=hook)
            draft = make_draft(json.loads(spec_json), int(sale[0]))
            if sale[1:] == ["cash"]:
                tenders = TenderStore(db)
                aftercare = Aftercare(client, journal, tenders, terminal="KASIR-E2E")
                cash = dataclasses.replace(
                    draft,
                    payment_method="no_payment",
                    tender="cash",
                    cash_received=draft.total + 10_000,
                )
                result = await TenderingCheckout(checkout, tenders, aftercare).submit(cash)
            else:
                result = await checkout.submit(draft)
            print("DONE", result.pos_ref, result.order.id, flush=True)

    asyncio.run(run())
    db.close()
    lock.release()


if __name__ == "__main__":
    main()
