"""Server text made safe to show: the one function every view and model uses for names.

Names, order numbers and messages come from the server (or a customer) and are hostile until
shown otherwise. :func:`display_text` makes them one line of plain, visible text:

* Unicode *format* characters (category ``Cf``) are removed: bidi embeddings, overrides and
  isolates (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), zero-width space / joiners
  (U+200B–U+200D, U+2060, U+FEFF), soft hyphens, tag characters. A product named
  ``"\\u202eGNP.exe"`` can no longer show as ``"exe.PNG"`` and two names that differ only by
  invisible marks look (and search) alike.
* control characters, line and paragraph separators and runs of whitespace become one space.
* very long texts are cut (with ``…``) so one name cannot push a screen apart.

Rich text is a separate matter: widgets showing these strings are set to plain text (see
``ui``); :func:`display_text` does not escape HTML.
"""

from __future__ import annotations

import unicodedata

#: Characters that are "letters" to Unicode but draw nothing (fillers, blank patterns).
_INVISIBLE_LETTERS = frozenset(
    {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e", "\u034f", "\u17b4", "\u17b5"}
)
_REMOVED_CATEGORIES = frozenset({"Cf", "Cs", "Co", "Cn"})  # format, surrogates, private, unassigned
_SPACE_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Zs"})
_NOT_VISIBLE = _REMOVED_CATEGORIES | _SPACE_CATEGORIES | {"Mn", "Me"}

#: Default cut for one-line texts shown on screen.
DISPLAY_MAX = 500


def _cleaned_chars(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in _REMOVED_CATEGORIES or ch in _INVISIBLE_LETTERS:
            continue
        out.append(" " if cat in _SPACE_CATEGORIES else ch)
    return out


def display_text(value: object, max_len: int | None = DISPLAY_MAX) -> str:
    """``value`` as one line of visible plain text (see the module docstring). ``None`` and
    non-strings become ``""`` / ``str(value)``; ``max_len=None`` keeps the full length."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if (
        text.isprintable()  # no Cc/Cf/Zl/Zp/Zs other than " " (the common case, at C speed)
        and _INVISIBLE_LETTERS.isdisjoint(text)
        and "  " not in text
        and text == text.strip()
        and (max_len is None or len(text) <= max_len)
    ):
        return text
    cleaned = " ".join("".join(_cleaned_chars(text)).split())
    if max_len is not None and len(cleaned) > max_len:
        cleaned = cleaned[: max(0, max_len - 1)].rstrip() + "…"
    return cleaned


def has_visible_char(value: str | None) -> bool:
    """True when ``value`` holds at least one character that draws something."""
    for ch in value or "":
        if ch in _INVISIBLE_LETTERS:
            continue
        if unicodedata.category(ch) not in _NOT_VISIBLE:
            return True
    return False


def is_clean(value: str) -> bool:
    """True when :func:`display_text` would leave ``value`` unchanged (no length cut)."""
    return display_text(value, None) == value


__all__ = ["DISPLAY_MAX", "display_text", "has_visible_char", "is_clean"]
