"""Platform skip markers for tests that need POSIX or Linux-only facilities.

The whole suite runs on Linux (CI requires every tool: the markers never skip there). On
Windows and macOS the tests below skip with the stated reason (``pytest -ra`` shows it).
The markers read ``sys.platform`` when the test module is imported, so
``tests/test_platform_skips.py`` can import every test module with another platform patched
in and check that each POSIX-only test is marked.

    from tests.platforms import posix_only, linux_only

    @posix_only("SIGKILL")
    def test_kill9(...): ...
"""

from __future__ import annotations

import sys

import pytest


def is_windows() -> bool:
    return sys.platform == "win32"


def is_linux() -> bool:
    return sys.platform.startswith("linux")


def posix_only(what: str) -> pytest.MarkDecorator:
    """Skip on Windows: the test needs ``what`` (a POSIX signal, ``resource``, uid/gid,
    permissions, bash), which Windows does not have."""
    return pytest.mark.skipif(
        is_windows(), reason=f"POSIX only: needs {what}, which Windows does not have"
    )


def linux_only(what: str) -> pytest.MarkDecorator:
    """Skip outside Linux: the test uses ``what`` (a Linux tool or interface); on Linux CI it
    is required and the test fails when it is missing."""
    return pytest.mark.skipif(
        not is_linux(), reason=f"Linux only: uses {what} (required on the Linux CI)"
    )
