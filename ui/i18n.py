"""The one helper every user-visible string goes through.

``tr("Bayar", "Charge")`` returns ``"Bayar / Charge"`` in the default bilingual mode. A later
translation pass (Qt Linguist or a lookup table) only has to change this module.
"""

from __future__ import annotations

_MODE = "both"  # "both" | "id" | "en"


def set_mode(mode: str) -> None:
    """Choose how strings are shown: ``"both"`` (default), ``"id"`` or ``"en"``."""
    global _MODE
    if mode not in ("both", "id", "en"):
        raise ValueError(mode)
    _MODE = mode


def tr(id_text: str, en_text: str, sep: str = " / ") -> str:
    """Indonesian first, then English (``sep="\n"`` for paragraphs)."""
    if _MODE == "id" or id_text == en_text:
        return id_text
    if _MODE == "en":
        return en_text
    return f"{id_text}{sep}{en_text}"


def tr_short(id_text: str, en_text: str) -> str:
    """For tight spots (tile badges): one language only — Indonesian unless English is chosen."""
    return en_text if _MODE == "en" else id_text


def lang() -> str:
    """The language code for service-layer messages (``user_message(exc, lang)``)."""
    return "en" if _MODE == "en" else "id"


def message(message_id: str) -> str:
    """A ``pos.domain.messages`` text, shown like every other UI string."""
    from pos.domain.messages import MESSAGES

    pair = MESSAGES.get(message_id)
    if pair is None:
        return tr("Terjadi kesalahan.", "Something went wrong.")
    return tr(*pair)
