"""Sharing a payment link over WhatsApp: a ``wa.me`` link with a prepared message.

The UI opens the link (``QDesktopServices.openUrl``) and/or copies it to the clipboard.
"""

from __future__ import annotations

from urllib.parse import quote

from pos.domain.customer import InvalidInput, normalize_phone
from pos.domain.money import format_idr
from pos.domain.text import display_text
from pos.domain.urls import payment_url_allowed

WA_BASE = "https://wa.me/"


def whatsapp_link(phone: str, message: str) -> str:
    """``https://wa.me/62…?text=<message>``.

    The phone is normalised (``0812…``/``+62 812…`` -> ``62812…``; raises
    :class:`pos.domain.customer.InvalidInput` when impossible). The message is percent-encoded
    with :func:`urllib.parse.quote` and no safe characters: spaces are ``%20`` (not ``+``),
    newlines ``%0A``, ``/``, ``:``, ``?``, ``&``, ``=`` and ``#`` are encoded too, UTF-8 for
    anything beyond ASCII.
    """
    number = normalize_phone(phone)
    if not message:
        return f"{WA_BASE}{number}"
    return f"{WA_BASE}{number}?text={quote(message, safe='')}"


def payment_message(
    customer_name: str,
    store_name: str,
    order_number: str,
    amount: int,
    payment_url: str,
    lang: str = "id",
    *,
    paid: bool = False,
) -> str:
    """The prepared message (Indonesian by default, ``lang="en"`` for English). Names and the
    order number are shown as plain, single-line text (bidi and zero-width marks removed). A
    ``paid`` order gets a thank-you with the order link instead of a request to pay."""
    name = display_text(customer_name)
    store = display_text(store_name)
    order_number = display_text(order_number)
    total = format_idr(amount)
    if paid:
        if lang == "en":
            return (
                f"{'Hi ' + name + ',' if name else 'Hi,'}\n\n"
                f"Thank you for shopping at {store}.\n"
                f"We have received your payment for order {order_number}, total {total}.\n"
                f"Your order:\n"
                f"{payment_url}\n\n"
                f"Thank you!"
            )
        return (
            f"{'Halo ' + name + ',' if name else 'Halo,'}\n\n"
            f"Terima kasih sudah berbelanja di {store}.\n"
            f"Pembayaran pesanan {order_number} sebesar {total} sudah kami terima.\n"
            f"Pesanan Anda:\n"
            f"{payment_url}\n\n"
            f"Terima kasih!"
        )
    if lang == "en":
        greeting = f"Hi {name}," if name else "Hi,"
        return (
            f"{greeting}\n\n"
            f"Thank you for shopping at {store}.\n"
            f"Order {order_number}, total {total}.\n"
            f"Please pay through this link:\n"
            f"{payment_url}\n\n"
            f"Thank you!"
        )
    greeting = f"Halo {name}," if name else "Halo,"
    return (
        f"{greeting}\n\n"
        f"Terima kasih sudah berbelanja di {store}.\n"
        f"Pesanan {order_number}, total {total}.\n"
        f"Silakan lakukan pembayaran melalui tautan berikut:\n"
        f"{payment_url}\n\n"
        f"Terima kasih!"
    )


def payment_whatsapp_link(
    phone: str,
    customer_name: str,
    store_name: str,
    order_number: str,
    amount: int,
    payment_url: str,
    lang: str = "id",
    *,
    sandbox_origin: str | None = None,
    paid: bool = False,
) -> str:
    """:func:`whatsapp_link` of :func:`payment_message`.

    Raises :class:`~pos.domain.customer.InvalidInput` (field ``payment_url``) when the link is
    not one a customer may be sent (:func:`pos.domain.urls.payment_url_allowed`)."""
    if not payment_url_allowed(payment_url, sandbox_origin):
        raise InvalidInput("payment_url", "payment_link_unsafe")
    payment_url = payment_url.strip()
    return whatsapp_link(
        phone,
        payment_message(
            customer_name, store_name, order_number, amount, payment_url, lang, paid=paid
        ),
    )


__all__ = ["payment_message", "payment_whatsapp_link", "whatsapp_link"]
