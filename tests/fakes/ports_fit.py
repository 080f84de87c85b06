"""Checked by mypy only (``test_ports.py``): the test fake fits the service Protocols they
stand in for, so a fake that drifts from ``pos.services.ports`` fails the suite."""

from __future__ import annotations

from pos.services.ports import (
    CatalogClient,
    CheckoutClient,
    OrderLister,
    OrderReader,
    PaymentClient,
    ShippingClient,
)
from tests.fakes.scalev import FakeScalev


def fake_scalev_fits(fake: FakeScalev) -> None:
    fits: tuple[
        CheckoutClient, PaymentClient, CatalogClient, ShippingClient, OrderReader, OrderLister
    ] = (fake, fake, fake, fake, fake, fake)
    del fits
