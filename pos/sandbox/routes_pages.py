"""The public payment page (no auth): `/o/{slug}`, `/o/{slug}/success`, the simulated payment."""

from __future__ import annotations

import html
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from pos.sandbox.common import core_of
from pos.sandbox.orders import mark_paid


def rupiah(value: str | int | float) -> str:
    amount = int(float(value))
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Pesanan {order_id}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{width:100%;border-collapse:collapse}}td{{padding:.3rem 0}}td.r{{text-align:right}}
.status{{padding:.2rem .6rem;border-radius:1rem;background:#eee}}
.paid{{background:#c8f7c5}}button{{font-size:1.1rem;padding:.7rem 1.2rem;margin-top:1rem}}
.demo{{color:#a00;font-weight:bold}}</style></head>
<body><p class="demo">SANDBOX / DEMO — bukan pembayaran sungguhan</p>
<h1>{store}</h1><p>Nomor pesanan: <strong id="order-number">{order_id}</strong></p>
<table>{rows}<tr><td><strong>Total</strong></td>
<td class="r"><strong id="amount">{total}</strong></td></tr></table>
<p>Status: <span id="status" class="status {cls}">{status}</span>
 Pembayaran: <span id="payment-status" class="status {cls}">{payment_status}</span></p>
{form}</body></html>"""


def payment_page(doc: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(line['product_name'])} &times; {line['quantity']}</td>"
        f"<td class='r'>{rupiah(line['product_price'])}</td></tr>"
        for line in doc["orderlines"]
    )
    if float(doc["shipping_cost"]):
        rows += f"<tr><td>Ongkos kirim</td><td class='r'>{rupiah(doc['shipping_cost'])}</td></tr>"
    paid = doc["payment_status"] in ("paid", "settled")
    form = (
        ""
        if paid or doc["status"] == "canceled"
        else f"<form method='post' action='/o/{doc['secret_slug']}/pay'>"
        "<button id='pay' type='submit'>Bayar (simulasi) / Simulate payment</button></form>"
    )
    return _PAGE.format(
        order_id=html.escape(doc["order_id"]),
        store=html.escape(doc["store"]["name"]),
        rows=rows,
        total=rupiah(doc["gross_revenue"]),
        status=html.escape(doc["status"]),
        payment_status=html.escape(doc["payment_status"]),
        cls="paid" if paid else "",
        form=form,
    )


async def public_order(request: Request) -> Response:
    doc = core_of(request).orders.get_by_slug(request.path_params["slug"])
    if doc is None:
        return HTMLResponse("<h1>Pesanan tidak ditemukan</h1>", status_code=404)
    return HTMLResponse(payment_page(doc))


async def public_pay(request: Request) -> Response:
    core = core_of(request)
    slug = request.path_params["slug"]
    doc = core.orders.get_by_slug(slug)
    if doc is None:
        return HTMLResponse("<h1>Pesanan tidak ditemukan</h1>", status_code=404)
    core.orders.update(mark_paid(doc))
    return RedirectResponse(f"/o/{slug}/success", status_code=303)


ROUTES = [
    Route("/o/{slug}", public_order),
    Route("/o/{slug}/success", public_order),
    Route("/o/{slug}/pay", public_pay, methods=["POST"]),
]
