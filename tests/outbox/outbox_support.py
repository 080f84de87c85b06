"""Shared by the outbox tests: numbered sales and the create faults the state machine arms."""

from __future__ import annotations

from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine
from tests.fakes.scalev import rate_limited

#: what a create may run into on the counter's side of the outbox (see tests.fakes.scalev)
FAULTS = (
    "commit_then_drop_reply",
    "commit_then_go_offline",
    "timeout_before_commit",
    "status_503_outcome_unknown",
    rate_limited(2.0),
    "status_422",
    "status_401",
)


def draft(n: int) -> SaleDraft:
    return SaleDraft(
        store_id=3288,
        store_unique_id="store_Nq7Rk2LmXa91",
        store_name="Toko Kopi",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 1000, 1 + n % 3),),
        customer=Customer(f"Pelanggan {n}", f"62812{n:08d}", None),
        payment_method="qris",
    )
