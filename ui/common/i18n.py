"""The one helper every user-visible string goes through.

``tr("Bayar", "Charge")`` returns ``"Bayar / Charge"`` in the bilingual mode (``"both"``),
``"Bayar"`` in ``"id"``, ``"Charge"`` in ``"en"``. ``"check"`` is a pseudo-language for the
"translations complete" test: every result is the Indonesian text wrapped in ``⟦…⟧``, so a
visible string without the brackets did not come through :func:`tr`.

The setting ``language`` (``pos.config.AppSettings``) is ``"system"`` (default: Indonesian when
``QLocale.system()`` is Indonesian, English otherwise), ``"id"``, ``"en"`` or ``"both"``
("Dwibahasa / Bilingual", for training). :func:`resolve_mode` turns it into a mode.

Switching at run time: :func:`retranslate` walks the open windows and swaps every text that a
:func:`tr` call produced under the old mode for the same string under the new mode (texts set
later are produced in the new mode anyway). Data such as product names is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MODES = ("both", "id", "en", "check")
CHECK_OPEN, CHECK_CLOSE = "⟦", "⟧"

_MODE = "both"  # "both" | "id" | "en" | "check"
#: every (id, en, sep) that tr() has rendered — the retranslation table
_SEEN: set[tuple[str, str, str]] = set()
_SEEN_SHORT: set[tuple[str, str]] = set()


def set_mode(mode: str) -> None:
    """Choose how strings are shown: ``"both"`` (default), ``"id"``, ``"en"`` or ``"check"``."""
    global _MODE
    if mode not in MODES:
        raise ValueError(mode)
    _MODE = mode


def mode() -> str:
    return _MODE


def system_language() -> str:
    """``"id"`` when the system locale is Indonesian, else ``"en"``."""
    from PySide6.QtCore import QLocale

    locale = QLocale.system()
    return "id" if locale.language() == QLocale.Language.Indonesian else "en"


def resolve_mode(language: str | None) -> str:
    """The tr() mode for a ``AppSettings.language`` value."""
    if language in ("id", "en", "both", "check"):
        return str(language)
    return system_language()


def _render(id_text: str, en_text: str, sep: str, mode_: str) -> str:
    if mode_ == "check":
        return f"{CHECK_OPEN}{id_text}{CHECK_CLOSE}"
    if mode_ == "id" or id_text == en_text:
        return id_text
    if mode_ == "en":
        return en_text
    return f"{id_text}{sep}{en_text}"


def tr(id_text: str, en_text: str, sep: str = " / ") -> str:
    """Indonesian first, then English (``sep="\n"`` for paragraphs)."""
    _SEEN.add((id_text, en_text, sep))
    return _render(id_text, en_text, sep, _MODE)


def tr_short(id_text: str, en_text: str) -> str:
    """For tight spots (tile badges, top-bar buttons): one language only — Indonesian unless
    English is chosen (put the bilingual text in the tool tip / accessible name)."""
    _SEEN_SHORT.add((id_text, en_text))
    return _render_short(id_text, en_text, _MODE)


def _render_short(id_text: str, en_text: str, mode_: str) -> str:
    if mode_ == "check":
        return f"{CHECK_OPEN}{id_text}{CHECK_CLOSE}"
    return en_text if mode_ == "en" else id_text


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


# --- run-time switching ---------------------------------------------------------------------
# Around a translated part only shortcut keys, digits and punctuation may remain, so a data
# text that merely contains a translated word ("Toko Demo") is never rewritten.
_TOKENS = re.compile(r"(?:Ctrl|Shift|Alt)(?:\+\w+)+|\b(?:F\d{1,2}|Esc|Enter|Del|PgDn|mm|Rp)\b")


def translate_text(text: str, old: str, new: str) -> str:
    """``text`` (rendered under mode ``old``) rendered under ``new``; unchanged when it is not
    (made of) tr() output."""
    if not text or old == new:
        return text
    pairs = []
    for id_text, en_text, sep in _SEEN:
        before = _render(id_text, en_text, sep, old)
        if before:
            pairs.append((before, _render(id_text, en_text, sep, new)))
    for id_text, en_text in _SEEN_SHORT:
        before = _render_short(id_text, en_text, old)
        if before:
            pairs.append((before, _render_short(id_text, en_text, new)))
    exact = {b: a for b, a in pairs}
    if text in exact:
        return exact[text]
    pairs.sort(key=lambda p: len(p[0]), reverse=True)
    found = [(b, a) for b, a in pairs if len(b) > 1 and b in text]
    if not found:
        return text
    pattern = re.compile("|".join(re.escape(b) for b, _ in found))
    table = dict(found)
    rest = _TOKENS.sub("", pattern.sub("", text))
    if any(ch.isalpha() for ch in rest):
        return text  # data around the match: leave it alone
    return pattern.sub(lambda m: table[m.group(0)], text)


def retranslate(roots: Iterable[Any], old: str, new: str) -> None:
    """Re-render the tr() texts of ``roots`` and all their child widgets from ``old`` to
    ``new`` (labels, buttons, placeholders, tool tips, accessible names, window titles, combo
    items, group boxes, item-view headers)."""
    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtWidgets import QAbstractItemView, QComboBox, QGroupBox, QLineEdit, QWidget

    def fix(getter: Any, setter: Any) -> None:
        value = getter()
        if isinstance(value, str) and value:
            changed = translate_text(value, old, new)
            if changed != value:
                setter(changed)

    for root in roots:
        widgets = [root, *root.findChildren(QWidget)]
        for w in widgets:
            fix(w.windowTitle, w.setWindowTitle)
            fix(w.toolTip, w.setToolTip)
            fix(w.accessibleName, w.setAccessibleName)
            if hasattr(w, "text") and hasattr(w, "setText") and not isinstance(w, QLineEdit):
                fix(w.text, w.setText)
            if isinstance(w, QLineEdit):
                fix(w.placeholderText, w.setPlaceholderText)
            if isinstance(w, QGroupBox):
                fix(w.title, w.setTitle)
            if isinstance(w, QComboBox):
                for i in range(w.count()):
                    changed = translate_text(w.itemText(i), old, new)
                    if changed != w.itemText(i):
                        w.setItemText(i, changed)
                line = w.lineEdit()
                if line is not None:
                    fix(line.placeholderText, line.setPlaceholderText)
            if isinstance(w, QAbstractItemView):
                model = w.model()
                try:
                    columns = model.columnCount(QModelIndex()) if model is not None else 0
                except TypeError:  # a private model (e.g. a completer's)
                    columns = 0
                if model is not None and columns > 0:
                    model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
                w.viewport().update()
            w.update()
