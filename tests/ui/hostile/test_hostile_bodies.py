"""Random server bodies (types, sizes, unicode, HTML) through the catalog, order and payment
paths: the real client parsing real HTTP replies (MockTransport: the body is the fault), the
catalog service, the journal and history, the payment watcher and the payment screen. Nothing
crashes (only the client's own InvalidResponseError may come out), nothing is rendered as rich
text, and no QR, copy or WhatsApp link exists without a valid payment link."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import Any

import httpx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel

from pos.api.client import ScalevClient
from pos.api.errors import InvalidResponseError
from pos.api.models import Order, Store
from pos.domain.customer import Customer
from pos.domain.money import AMOUNT_LIMIT
from pos.domain.sale import SaleDraft, SaleLine, build_order_body
from pos.domain.text import is_clean
from pos.domain.urls import payment_url_allowed
from pos.services.catalog import CatalogService
from pos.services.history import HistoryService
from pos.services.payment import PaymentWatcher
from pos.storage import Database, SaleJournal
from ui.payment.view import PaymentView

SANDBOX = "http://127.0.0.1:41234"
NASTY = [
    "<b>X</b><img src=x>",
    "<a href=https://evil.example/>pay here</a>",
    "\u202egnp.exe",
    "\u200b\u200c\u200d\ufeff",
    "<script>alert(1)</script>",
    "Kopi\nSusu\r\n\t",
    "\x00\x07",
    "ꦏꦺꦴꦥꦶ",
    "👨‍👩‍👧",
    "x" * 600,
    "",
]
URLS = [
    "https://pay.example/o/1/success",
    SANDBOX + "/o/1/success",
    "http://127.0.0.1:9/o/1",
    "http://evil.example/o/1",
    "javascript:alert(1)",
    "https://user:pw@pay.example/o/1",
    "https://pay.example/o/1\n<b>x</b>",
    "https://pаy.example/o/1",
    "data:text/html,<b>x</b>",
    "",
]
text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(NASTY),
    st.builds(str.__add__, st.sampled_from(NASTY), st.text(max_size=10)),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["49000", "49000.50", "1e30", "-1", "NaN", "Infinity", "abc", "1" * 40]),
)
json_leaf = st.one_of(st.none(), st.booleans(), numbers, text)
json_any = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly (9 in 10) a value of the right shape (hostile text inside), else any JSON."""
    return st.integers(0, 9).flatmap(lambda n: json_any if n == 0 else values)


prices = st.integers(0, 4).flatmap(
    lambda n: (
        st.sampled_from(["49000", "49000.50", "1e30", "-1", "NaN", "Infinity", "abc"])
        if n == 0
        else st.integers(min_value=0, max_value=2 * 10**15)
    )
)
variant = st.fixed_dictionaries(
    {
        "id": maybe(st.integers(1, 10**6)),
        "unique_id": maybe(st.text(min_size=1, max_size=12)),
        "price": maybe(prices),
    },
    optional={
        "fullname": maybe(text),
        "sku": maybe(text),
        "is_visible": maybe(st.booleans()),
        "weight": maybe(st.integers(-5, 10**12)),
        "item_type": maybe(st.sampled_from(["physical", "digital", "x"])),
    },
)
product = st.fixed_dictionaries(
    {
        "id": maybe(st.integers(1, 10**6)),
        "name": maybe(text),
        "variants": maybe(st.lists(variant, min_size=1, max_size=3)),
    },
    optional={"display": maybe(text), "is_visible": maybe(st.booleans())},
)
catalog_body = maybe(st.fixed_dictionaries({"data": st.lists(maybe(product), max_size=6)}))
order_body = maybe(
    st.fixed_dictionaries(
        {
            "id": maybe(st.uuids().map(str)),
            "order_id": maybe(text),
            "payment_url": maybe(st.sampled_from(URLS)),
            "gross_revenue": maybe(prices),
        },
        optional={
            "status": maybe(st.sampled_from(["pending", "confirmed", "canceled", "closed", "rts"])),
            "payment_status": maybe(st.sampled_from(["unpaid", "paid", "settled", "conflict"])),
            "payment_method": maybe(st.sampled_from(["qris", "payment_link", "va_bca"])),
            "public_order_url": maybe(st.sampled_from(URLS)),
            "customer": maybe(
                st.fixed_dictionaries({}, optional={"name": maybe(text), "phone": maybe(text)})
            ),
            "store": maybe(st.fixed_dictionaries({}, optional={"name": maybe(text)})),
            "metadata": json_any,
        },
    )
)
STORE = Store.model_validate({"id": 1, "unique_id": "store_1", "name": "Toko"})


def client_for(route: dict[tuple[str, str], Any]) -> ScalevClient:
    def handle(request: httpx.Request) -> httpx.Response:
        body = route.get((request.method, request.url.path), {"data": []})
        return httpx.Response(200, content=json.dumps(body).encode())

    return ScalevClient(
        "https://api.example", "key-123456", transport=httpx.MockTransport(handle), max_retries=0
    )


def run(coro: Any) -> Any:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


@settings(max_examples=60, deadline=None)
@given(products=catalog_body, full=catalog_body, bundles=catalog_body)
def test_random_catalogs_never_crash_and_yield_clean_items(
    products: Any, full: Any, bundles: Any
) -> None:
    client = client_for(
        {
            ("GET", "/v3/stores/1/products"): products,
            ("GET", "/v3/products"): full,
            ("GET", "/v3/stores/1/bundles"): bundles,
        }
    )

    async def load() -> Any:
        async with client:
            service = CatalogService(client)
            try:
                return await service.load(STORE), service.last_summary
            except InvalidResponseError:
                return None, None  # the whole body is not a listing: refused, typed

    items, summary = run(load())
    event(
        "refused listing"
        if items is None
        else f"items: {min(len(items), 3)}{'+' if len(items) >= 3 else ''}"
    )
    if items is None:
        return
    for item in items:
        assert is_clean(item.name), item.name
        assert 0 <= item.price < AMOUNT_LIMIT
        assert len(item.name) <= 500
    assert summary.items == len(items)


def _labels_render_plain(view: PaymentView) -> list[str]:
    bad = []
    for label in view.findChildren(QLabel):
        fmt = label.textFormat()
        if fmt == Qt.TextFormat.RichText or (
            fmt == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text())
        ):
            bad.append(f"{label.objectName()}: {label.text()!r}")
    return bad


def _draft() -> SaleDraft:
    return SaleDraft(
        store_id=1,
        store_unique_id="store_1",
        store_name="Toko",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 49000, 1),),
        customer=Customer("Siti", "6281234567890", None),
        payment_method="qris",
    )


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=order_body, demo=st.booleans())
def test_random_orders_through_the_order_and_payment_paths(
    qtbot: Any, tmp_path_factory: Any, body: Any, demo: bool
) -> None:
    client = client_for(
        {
            ("POST", "/v3/orders"): body,
            ("GET", "/v3/orders/o-1"): body,
        }
    )

    async def order_path() -> Order | None:
        async with client:
            try:
                created = await client.create_order(
                    build_order_body(_draft(), pos_ref="r", terminal="K")
                )
            except InvalidResponseError:
                created = None
            try:
                watched = (
                    await PaymentWatcher(client, interval=0).watch("o-1", lambda o: None)
                    if False
                    else await client.get_order("o-1")
                )
            except InvalidResponseError:
                watched = None
            assert (created is None) == (watched is None)
            return created

    order = run(order_path())
    event("refused (InvalidResponseError)" if order is None else "an order to show")
    if order is None:
        return
    # the journal and the history keep and show it
    db = Database.open(":memory:")
    journal = SaleJournal(db)
    draft = _draft()
    ref = journal.new_sale(
        draft, build_order_body(draft, pos_ref="0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f40", terminal="K")
    )
    journal.mark_sending(ref)
    journal.mark_created(ref, order)
    rows = HistoryService(journal, client=None).list()
    assert len(rows) == 1
    db.close()
    # the payment screen: plain text only, no QR/copy/WhatsApp without a valid link
    origin = SANDBOX if demo else None
    view = PaymentView(origin)
    qtbot.addWidget(view)
    view.show_order(order, "Siti", "0812-3456-7890")
    assert not _labels_render_plain(view)
    allowed = payment_url_allowed(order.payment_url, origin)
    event(f"payment link allowed: {allowed}")
    has_qr = not view.qr.pixmap().isNull()
    # an unpaid QRIS order waits for its qr_string (show_qris): no link QR meanwhile
    qris_pending = order.payment_method == "qris" and not order.is_paid
    assert has_qr == (allowed and not qris_pending and view.state() in ("waiting", "conflict"))
    if not allowed:
        assert view.qr.pixmap().isNull()
        assert not view.copy_button.isEnabled() and view.whatsapp.link() is None
    else:
        assert view.copy_button.isEnabled()
    assert isinstance(order.gross_revenue, Decimal | None)
    view.deleteLater()
