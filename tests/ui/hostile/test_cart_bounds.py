"""A quantity past the cart's maximum is refused with a message on screen, not an exception;
the cart stays as it was."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from pos.domain.cart import MAX_QUANTITY


def test_too_many_of_one_item_is_refused_with_a_message(fake_app: Any) -> None:
    fake_app.start()
    c = fake_app.controller
    item = c.items[0]
    c.add_item(item, MAX_QUANTITY)
    c.add_item(item)  # one more scan: refused, no exception
    assert c.cart.count == MAX_QUANTITY
    label = fake_app.window.findChild(QLabel, "messageText")
    assert label is not None
    fake_app.qtbot.waitUntil(lambda: "9999" in label.text())
    c.change_quantity(item.key, +1)  # the "+" key on the cart line
    assert c.cart.count == MAX_QUANTITY
    assert (
        fake_app.window.cart.total_label.text()
        .replace(".", "")
        .endswith(str(item.price * MAX_QUANTITY))
    )


def test_a_name_with_no_visible_character_is_refused_at_checkout(fake_app: Any) -> None:
    from pos.domain.messages import MESSAGES

    fake_app.start()
    fake_app.controller.add_item(fake_app.controller.items[0])
    w = fake_app.window
    w.go_checkout()
    w.checkout.name.setText("\u200b\u202e\u2066 \u3164")
    w.checkout.phone.setText("0812-3456-7890")
    w.checkout.submit()
    assert MESSAGES["name_required"][1] in w.checkout.errors["name"].text()
    fake_app.qtbot.wait(50)
    assert fake_app.checkout.drafts == []  # nothing sent
