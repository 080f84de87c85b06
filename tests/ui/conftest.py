"""Fixtures of every UI test below this folder (grouped by screen, like ``ui/``).

Each is defined next to the fakes or sessions it uses: the qasync loop, fake services and a
window on a fresh sandbox (tests/ui/ui_support.py, also the screenshot, QR and barcode-scan
helpers); a real Kasir session through the composition root (``kasir``:
tests/ui/history/history_support.py); the same with its settings, data and log folders and
printers (``counter``: tests/ui/wiring/wiring_support.py). Both sessions start and stop through
tests/ui/session_support.py.
"""

from tests.ui.history.history_support import kasir
from tests.ui.ui_support import fake_app, qloop, sandbox_app, sandbox_server
from tests.ui.wiring.wiring_support import counter

__all__ = ["counter", "fake_app", "kasir", "qloop", "sandbox_app", "sandbox_server"]
