"""Customer input: phone normalisation (``62…``), email check, name rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import display_text, has_visible_char

NAME_MAX = 100
PHONE_MIN_DIGITS = 10
PHONE_MAX_DIGITS = 15

_SEPARATORS = re.compile(r"[\s\-.()/]+")
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


class InvalidInput(ValueError):
    """A form field holds a value the sale cannot use. ``message_id`` keys :mod:`.messages`."""

    def __init__(self, field: str, message_id: str) -> None:
        super().__init__(f"{field}: {message_id}")
        self.field = field
        self.message_id = message_id


def normalize_phone(raw: str) -> str:
    """Normalise an Indonesian phone number to ``62…`` digits.

    Accepts ``08…``, ``+62…``, ``62…``, ``0062…`` and ``8…`` with spaces, dashes, dots and
    parentheses. ``+62 0812…`` (a stray trunk zero) is tolerated. Raises :class:`InvalidInput`
    (field ``phone``) for empty or impossible numbers.
    """
    s = _SEPARATORS.sub("", raw or "")
    if not s:
        raise InvalidInput("phone", "phone_required")
    if s.startswith("+"):
        s = s[1:]
        if not s.startswith("62"):
            raise InvalidInput("phone", "phone_invalid")
    if not s.isascii() or not s.isdigit():
        raise InvalidInput("phone", "phone_invalid")
    if s.startswith("0062"):
        s = s[2:]
    if s.startswith("62"):
        rest = s[2:]
    elif s.startswith("0"):
        rest = s[1:]
    else:
        rest = s
    if rest.startswith("0"):
        rest = rest[1:]
    if not rest or rest.startswith("0"):
        raise InvalidInput("phone", "phone_invalid")
    phone = "62" + rest
    if not PHONE_MIN_DIGITS <= len(phone) <= PHONE_MAX_DIGITS:
        raise InvalidInput("phone", "phone_invalid")
    return phone


def validate_email(raw: str | None) -> str | None:
    """``""``/``None`` -> ``None``; a valid address -> the trimmed address; else InvalidInput."""
    s = (raw or "").strip()
    if not s:
        return None
    if len(s) > 254 or not _EMAIL.match(s) or len(s.split("@", 1)[0]) > 64:
        raise InvalidInput("email", "email_invalid")
    return s


def _clean_name(raw: str | None) -> str:
    """One line, bidi controls and zero-width characters removed (:func:`display_text`)."""
    return display_text(raw, None)


def _name_problem(name: str) -> str | None:
    if not name or not has_visible_char(name):
        return "name_required"
    if len(name) > NAME_MAX:
        return "name_too_long"
    return None


@dataclass(frozen=True)
class Customer:
    name: str
    phone: str
    email: str | None = None


def validate_customer(name: str | None, phone: str | None, email: str | None) -> dict[str, str]:
    """Every problem at once: ``{"name": "name_required", "phone": "phone_invalid", ...}``."""
    problems: dict[str, str] = {}
    name_problem = _name_problem(_clean_name(name))
    if name_problem:
        problems["name"] = name_problem
    try:
        normalize_phone(phone or "")
    except InvalidInput as e:
        problems["phone"] = e.message_id
    try:
        validate_email(email)
    except InvalidInput as e:
        problems["email"] = e.message_id
    return problems


def make_customer(name: str | None, phone: str | None, email: str | None = None) -> Customer:
    """A normalised :class:`Customer`; raises :class:`InvalidInput` for the first bad field."""
    clean = _clean_name(name)
    problem = _name_problem(clean)
    if problem:
        raise InvalidInput("name", problem)
    return Customer(name=clean, phone=normalize_phone(phone or ""), email=validate_email(email))
