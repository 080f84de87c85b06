"""``kasir --self-test``: a scripted demo sale, offscreen, against the embedded sandbox.

It proves that an installed or frozen (PyInstaller) Kasir has everything a sale needs: Qt
with its offscreen platform and fonts, the sandbox with its data files, the HTTP client, the
storage, the real services, the app's windows, the QR code and the PDF receipt. Steps:

1. start the embedded :class:`~pos.sandbox.SandboxServer` in a temporary folder;
2. build the client, storage and services exactly like the app (and its main window, unshown);
3. create a digital order for the first digital item of the first store through
   :class:`~pos.services.checkout.CheckoutService` and check its ``payment_url``;
4. pay it through the sandbox control route ``POST /__sandbox/orders/{id}/pay``;
5. watch it with :class:`~pos.services.payment.PaymentWatcher` until it is paid;
6. draw the payment QR (what the payment screen shows) and render the PDF receipt.

Prints one line per step and ``PASS``; returns 0, or 1 with a ``FAIL`` line naming the step.
``python -m ui.selftest [--out DIR]`` runs it directly (``--out`` keeps the files).

Call :func:`run_self_test` before any event loop runs: it starts its own (plain asyncio).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

TERMINAL = "SELFTEST"
CUSTOMER = ("Pelanggan Uji Mandiri", "0812-3456-7890", "uji@example.co.id")


class SelfTestError(Exception):
    """A check failed; the message says what was expected."""


@dataclass
class _Report:
    out: TextIO
    step: str = "start"
    started: float = field(default_factory=time.monotonic)

    @contextlib.contextmanager
    def step_of(self, name: str) -> Iterator[None]:
        self.step = name
        yield

    def ok(self, detail: str) -> None:
        print(f"  {self.step:<9} OK  {detail}", file=self.out, flush=True)


def _ensure_gui_app() -> Any:
    """The running QApplication, or a new offscreen one (the self-test never shows a window)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QApplication([sys.argv[0] if sys.argv else "kasir", "-platform", "offscreen"])
    return app


def _first_digital(items: list[Any]) -> Any:
    for item in items:
        if item.kind == "variant" and item.item_type == "digital":
            return item
    for item in items:  # fall back to anything that needs no shipping
        if item.item_type is not None and not item.is_physical:
            return item
    raise SelfTestError(f"no digital item among {len(items)} catalog items")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestError(message)


async def _sale(report: _Report, work: Path) -> None:
    report.step = "imports"
    import httpx

    from pos.api.client import ScalevClient
    from pos.domain.cart import Cart
    from pos.domain.customer import make_customer
    from pos.domain.payment_methods import default_method, method_label
    from pos.domain.sale import draft_from_cart
    from pos.receipts.model import Receipt, ReceiptLine
    from pos.sandbox import DEMO_API_KEY, SandboxServer
    from pos.services.catalog import CatalogService
    from pos.services.checkout import CheckoutService
    from pos.services.payment import PaymentWatcher
    from pos.storage import CatalogCache, Database, SaleJournal
    from ui.payment.view import qr_allowed, qr_image
    from ui.receipts.pdf import render_pdf

    async with contextlib.AsyncExitStack() as stack:
        with report.step_of("sandbox"):
            server = SandboxServer(work / "sandbox", port=0)
            # Started off the loop: the sandbox runs its own event loop in its own thread.
            await asyncio.to_thread(server.start)
            stack.push_async_callback(asyncio.to_thread, server.stop)
            base_url = server.base_url
            report.ok(base_url)
        with report.step_of("storage"):
            db = Database.open(work / "kasir" / "kasir.sqlite3")
            stack.callback(db.close)
        with report.step_of("client"):
            client = ScalevClient(base_url, DEMO_API_KEY, read_timeout=10.0)
            stack.push_async_callback(client.aclose)
        journal = SaleJournal(db)
        catalog = CatalogService(client, CatalogCache(db))
        checkout = CheckoutService(client, journal, terminal=TERMINAL)
        watcher = PaymentWatcher(client, interval=0.1)

        with report.step_of("window"):
            from ui.session import build_window

            window, *_rest = build_window(
                client, db=db, demo=True, sandbox_origin=base_url, terminal=TERMINAL
            )
            title = window.windowTitle()
            window.close()
            window.deleteLater()
            report.ok(f"main window built ({title or 'untitled'})")

        with report.step_of("catalog"):
            stores = await catalog.list_stores()
            _check(bool(stores), "the sandbox lists no store")
            store = stores[0]
            items = await catalog.load(store)
            item = _first_digital(items)
            methods = await catalog.payment_methods(store)
            method = default_method(methods)
            _check(method is not None, f"store {store.name!r} offers no payment method")
            assert method is not None
            report.ok(f"{len(items)} items in {store.name!r}; selling {item.name!r}")

        with report.step_of("order"):
            cart = Cart()
            cart.add(item, 1)
            _check(not cart.needs_shipping, f"{item.name!r} needs shipping")
            draft = draft_from_cart(store, cart, make_customer(*CUSTOMER), method)
            result = await checkout.submit(draft)
            order = result.order
            url = order.payment_url
            _check(bool(url), f"order {order.id} has no payment_url")
            assert url is not None
            _check(
                qr_allowed(url, base_url),
                f"payment_url {url!r} is neither https nor the sandbox's own origin",
            )
            _check(not order.is_paid, f"order {order.id} is paid before payment")
            record = journal.get(result.pos_ref)
            _check(record is not None and record.is_done, "the sale journal lost the sale")
            number = order.order_id or order.id
            report.ok(f"{number} via {method}, {url}")

        with report.step_of("payment"):
            # Watch first (like the payment screen), then pay: the watcher must see the
            # order change from unpaid to paid by itself.
            seen: list[str | None] = []
            first = asyncio.Event()

            def on_update(o: Any) -> None:
                seen.append(o.payment_status)
                first.set()

            t0 = time.monotonic()
            watch = asyncio.create_task(watcher.watch(order.id, on_update))
            try:
                await asyncio.wait_for(first.wait(), 15.0)
                async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as ctl:
                    resp = await ctl.post(f"/__sandbox/orders/{order.id}/pay")
                    resp.raise_for_status()
                paid = await asyncio.wait_for(watch, 30.0)
            finally:
                watch.cancel()
            _check(paid.is_paid, f"order ended {paid.status}/{paid.payment_status}")
            report.ok(
                f"{paid.payment_status} after {time.monotonic() - t0:.1f} s "
                f"(seen: {' → '.join(str(s) for s in seen)})"
            )

        with report.step_of("qr"):
            image = qr_image(url)
            _check(not image.isNull() and image.width() >= 100, "the QR image is empty")
            qr_path = work / "payment-qr.png"
            _check(image.save(str(qr_path)), f"cannot write {qr_path}")
            report.ok(f"{qr_path.name} {image.width()}×{image.height()} px")

        with report.step_of("receipt"):
            receipt = Receipt(
                store_name=store.name,
                terminal=TERMINAL,
                order_number=number,
                created_at=datetime.now(),
                lines=tuple(
                    ReceiptLine(line.name, line.quantity, line.price) for line in draft.lines
                ),
                payment_method=method_label(method),
                paid=paid.is_paid,
                customer_name=draft.customer.name,
                order_url=paid.public_order_url or url,
                footer="Terima kasih!",
            )
            pdf = render_pdf(receipt, work / "receipt.pdf")
            head = pdf.read_bytes()[:5]
            _check(head == b"%PDF-", f"{pdf.name} is not a PDF (starts {head!r})")
            report.ok(f"{pdf.name} {pdf.stat().st_size} bytes, total {draft.total} IDR")


def run_self_test(
    out_dir: str | Path | None = None,
    *,
    timeout: float = 120.0,
    stream: TextIO | None = None,
) -> int:
    """Run the scripted demo sale; 0 when every step passed, else 1 (see the module doc).

    ``out_dir`` keeps the QR, the receipt PDF and the sandbox/app databases there; by default
    they go to a temporary folder that is removed afterwards.
    """
    out = stream or sys.stdout
    report = _Report(out)
    print("Kasir self-test (demo sale on the embedded sandbox, offscreen)", file=out)
    try:
        _ensure_gui_app()
        with contextlib.ExitStack() as stack:
            if out_dir is None:
                work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kasir-st-")))
            else:
                work = Path(out_dir)
                work.mkdir(parents=True, exist_ok=True)
            asyncio.run(asyncio.wait_for(_sale(report, work), timeout))
    except TimeoutError:
        print(f"FAIL at {report.step}: no result within {timeout:.0f} s", file=out)
        return 1
    except SelfTestError as e:
        print(f"FAIL at {report.step}: {e}", file=out)
        return 1
    except Exception as e:
        print(f"FAIL at {report.step}: {_describe(e)}", file=out)
        traceback.print_exc(file=sys.stderr)
        return 1
    print(f"PASS in {time.monotonic() - report.started:.1f} s", file=out, flush=True)
    return 0


def _describe(exc: BaseException) -> str:
    """The exception type and text, plus the cashier text when the services know the error."""
    detail = str(exc) or repr(exc)
    try:
        from pos.services.errors import user_message

        text = user_message(exc, "en")
    except Exception:
        text = ""
    return f"{type(exc).__name__}: {detail}" + (f" ({text})" if text and text != detail else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kasir --self-test", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="keep the files in this folder")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds (default 120)")
    args = parser.parse_args(argv)
    return run_self_test(args.out, timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(main())
