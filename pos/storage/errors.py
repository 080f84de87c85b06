"""The one error of local storage (its own module: both the database and its recovery raise
it, and neither imports the other at module level)."""

from __future__ import annotations


class StorageError(Exception):
    """Local storage failed. ``message_id`` keys :mod:`pos.domain.messages`."""

    def __init__(self, message_id: str, detail: str = "") -> None:
        super().__init__(f"{message_id}: {detail}" if detail else message_id)
        self.message_id = message_id
        self.detail = detail
