from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path

import pytest

from pos.config import PrinterSettings
from pos.receipts.escpos import render_escpos
from pos.receipts.printers import (
    FilePrinter,
    NetworkPrinter,
    PrinterError,
    parse_host_port,
    printer_from_settings,
)
from pos.receipts.queue import PrintOutcome, PrintQueue, print_or_queue
from tests.receipts.receipt_samples import sample_receipt


class TcpPrinterServer:
    """A fake port-9100 printer: accepts connections and records what each one sent."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.sock.settimeout(0.05)
        self.jobs: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                self.jobs.append(b"".join(chunks))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def tcp_printer() -> TcpPrinterServer:
    server = TcpPrinterServer()
    yield server  # type: ignore[misc]
    server.close()


def _wait_for_jobs(server: TcpPrinterServer, n: int) -> None:
    for _ in range(200):
        if len(server.jobs) >= n:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"expected {n} jobs, got {len(server.jobs)}")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_network_print_sends_exact_bytes(tcp_printer: TcpPrinterServer) -> None:
    data = render_escpos(sample_receipt(), 80)
    NetworkPrinter("127.0.0.1", tcp_printer.port).send(data)
    _wait_for_jobs(tcp_printer, 1)
    assert tcp_printer.jobs == [data]


def test_network_printer_down_raises_printer_error() -> None:
    with pytest.raises(PrinterError):
        NetworkPrinter("127.0.0.1", _closed_port(), timeout=2).send(b"x")


def test_file_printer_appends(tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    printer = FilePrinter(out)
    printer.check()
    printer.send(b"one")
    printer.send(b"two")
    assert out.read_bytes() == b"onetwo"
    with pytest.raises(PrinterError):
        FilePrinter(tmp_path / "missing" / "lp0").send(b"x")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("192.168.1.50", ("192.168.1.50", 9100)),
        ("printer.lan:9101", ("printer.lan", 9101)),
        ("[fe80::1]:9100", ("fe80::1", 9100)),
        ("[::1]", ("::1", 9100)),
        ("fe80::2", ("fe80::2", 9100)),
    ],
)
def test_parse_host_port(target: str, expected: tuple[str, int]) -> None:
    assert parse_host_port(target) == expected


@pytest.mark.parametrize("target", ["", "host:0", "host:70000", ":9100"])
def test_parse_host_port_rejects(target: str) -> None:
    with pytest.raises(ValueError):
        parse_host_port(target)


def test_printer_from_settings(tmp_path: Path) -> None:
    assert printer_from_settings(PrinterSettings()) is None
    assert printer_from_settings(PrinterSettings(kind="network", target="")) is None
    assert printer_from_settings(PrinterSettings(kind="network", target="10.0.0.9")) == (
        NetworkPrinter("10.0.0.9", 9100)
    )
    assert printer_from_settings(PrinterSettings(kind="usb", target="/dev/usb/lp0")) == (
        FilePrinter(Path("/dev/usb/lp0"))
    )
    assert printer_from_settings(PrinterSettings(kind="file", target=str(tmp_path))) == (
        FilePrinter(tmp_path)
    )


@pytest.mark.asyncio
async def test_print_or_queue_prints(tcp_printer: TcpPrinterServer, tmp_path: Path) -> None:
    queue = PrintQueue.in_dir(tmp_path)
    data = render_escpos(sample_receipt(), 58)
    outcome = await print_or_queue(NetworkPrinter("127.0.0.1", tcp_printer.port), data, queue)
    assert outcome is PrintOutcome.PRINTED
    _wait_for_jobs(tcp_printer, 1)
    assert tcp_printer.jobs == [data]
    assert queue.pending() == []


@pytest.mark.asyncio
async def test_failed_print_is_queued_then_retried(
    tcp_printer: TcpPrinterServer, tmp_path: Path
) -> None:
    queue = PrintQueue.in_dir(tmp_path / "data")
    first = render_escpos(sample_receipt(), 58)
    second = b"\x1b@second receipt\n"
    down = NetworkPrinter("127.0.0.1", _closed_port(), timeout=2)

    assert await print_or_queue(down, first, queue, label="A1") is PrintOutcome.QUEUED
    assert await print_or_queue(down, second, queue, label="A2") is PrintOutcome.QUEUED

    # the retry list survives a restart (a new PrintQueue on the same file)
    queue = PrintQueue.in_dir(tmp_path / "data")
    pending = queue.pending()
    assert [(p.label, p.data, p.attempts) for p in pending] == [
        ("A1", first, 1),
        ("A2", second, 1),
    ]
    assert "ConnectionRefusedError" in pending[0].last_error

    # still down: the first stays, counted, and the loop stops there
    result = await queue.retry_async(down)
    assert (result.printed, result.remaining) == (0, 2)
    assert [p.attempts for p in queue.pending()] == [2, 1]

    # printer back: both print, oldest first, and the list empties
    result = await queue.retry_async(NetworkPrinter("127.0.0.1", tcp_printer.port))
    assert (result.printed, result.remaining) == (2, 0)
    _wait_for_jobs(tcp_printer, 2)
    assert tcp_printer.jobs == [first, second]
    assert queue.pending() == []


@pytest.mark.asyncio
async def test_print_or_queue_never_raises(tmp_path: Path) -> None:
    class Exploding:
        def send(self, data: bytes) -> None:
            raise RuntimeError("paper jam")

        def describe(self) -> str:
            return "exploding"

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("file in the way")
    queue = PrintQueue(blocker / "sub" / "print-queue.jsonl")  # cannot be written
    assert await print_or_queue(Exploding(), b"x", queue) is PrintOutcome.LOST
    assert await print_or_queue(None, b"x", queue) is PrintOutcome.NO_PRINTER


@pytest.mark.asyncio
async def test_print_runs_off_the_event_loop(tmp_path: Path) -> None:
    release = threading.Event()
    loop_thread = threading.get_ident()
    seen: list[int] = []

    class Slow:
        def send(self, data: bytes) -> None:
            seen.append(threading.get_ident())
            release.wait(5)

        def describe(self) -> str:
            return "slow"

    task = asyncio.create_task(print_or_queue(Slow(), b"x", PrintQueue.in_dir(tmp_path)))
    await asyncio.sleep(0.05)
    assert not task.done()  # the loop keeps running while the printer is slow
    release.set()
    assert await task is PrintOutcome.PRINTED
    assert seen and seen[0] != loop_thread


def test_queue_remove_and_skip_bad_lines(tmp_path: Path) -> None:
    queue = PrintQueue.in_dir(tmp_path)
    entry = queue.add(b"abc", label="X", error="Bearer sk_live_Secret123 refused")
    assert "sk_live_Secret123" not in queue.path.read_text()
    with queue.path.open("a") as fh:
        fh.write("not json\n")
    assert [p.id for p in queue.pending()] == [entry.id]
    assert queue.remove(entry.id) is True
    assert queue.remove(entry.id) is False
    assert len(queue) == 0
