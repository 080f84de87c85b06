"""Readable names of Scalev's canonical payment method codes (digest section 3)."""

from __future__ import annotations

_VA_BANKS = {
    "va_bca": "BCA",
    "va_bni": "BNI",
    "va_bri": "BRI",
    "va_mandiri": "Mandiri",
    "va_permata": "Permata",
    "va_cimb": "CIMB Niaga",
    "va_bsi": "BSI",
    "va_maybank": "Maybank",
    "va_bnc": "BNC",
    "va_danamon": "Danamon",
    "va_artha_graha": "Artha Graha",
    "va_muamalat": "Muamalat",
    "va_btn": "BTN",
    "va_ocbc": "OCBC",
    "va_bjb": "BJB",
    "va_sahabat_sampoerna": "Sahabat Sampoerna",
    "va_artajasa": "Artajasa",
}

METHOD_LABELS: dict[str, tuple[str, str]] = {
    **{
        code: (f"Virtual Account {bank}", f"{bank} Virtual Account")
        for code, bank in _VA_BANKS.items()
    },
    "qris": ("QRIS", "QRIS"),
    "card": ("Kartu kredit/debit", "Credit/debit card"),
    "invoice": ("Invoice online", "Online invoice"),
    "payment_link": ("Link pembayaran (pelanggan pilih metode)", "Payment link (customer chooses)"),
    "alfamart": ("Alfamart", "Alfamart"),
    "ovo": ("OVO", "OVO"),
    "dana": ("DANA", "DANA"),
    "shopeepay": ("ShopeePay", "ShopeePay"),
    "linkaja": ("LinkAja", "LinkAja"),
    "gopay": ("GoPay", "GoPay"),
    "bank_transfer": ("Transfer bank manual", "Manual bank transfer"),
    "cod": ("Bayar di tempat (COD)", "Cash on delivery (COD)"),
    "marketplace": ("Marketplace", "Marketplace"),
    "no_payment": ("Tanpa pembayaran", "No payment"),
}

_PREFERENCE = ("payment_link", "qris", "invoice")


def method_label(code: str, lang: str = "id") -> str:
    pair = METHOD_LABELS.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


def default_method(methods: list[str]) -> str | None:
    """payment_link > qris > invoice > the first offered; ``None`` when none."""
    for code in _PREFERENCE:
        if code in methods:
            return code
    return methods[0] if methods else None
