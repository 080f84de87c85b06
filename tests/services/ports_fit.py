"""Checked by mypy only (``test_ports.py``): the test fakes fit the service Protocols they
stand in for, so a fake that drifts from ``pos.services.ports`` fails the suite."""

from __future__ import annotations

from fake_scalev import FakeScalev
from outbox_fake import FakeServer

from pos.services.ports import (
    CatalogClient,
    CheckoutClient,
    OrderLister,
    OrderReader,
    PaymentClient,
    ShippingClient,
)


def services_fake_fits(fake: FakeScalev) -> None:
    fits: tuple[
        CheckoutClient, PaymentClient, CatalogClient, ShippingClient, OrderReader, OrderLister
    ] = (fake, fake, fake, fake, fake, fake)
    del fits


def outbox_fake_fits(server: FakeServer) -> None:
    fits: tuple[CheckoutClient, OrderReader, OrderLister] = (server, server, server)
    del fits
