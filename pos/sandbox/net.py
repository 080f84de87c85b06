"""The sandbox's listening socket, made without importing the server (uvicorn, starlette),
and the addresses of demo mode's LAN option."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
import sys

#: bind every IPv4 interface (the LAN demo mode): loopback for Kasir, the LAN for phones
ALL_INTERFACES = "0.0.0.0"


def listening_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A non-blocking TCP socket listening on ``host:port`` (port 0: a free one). Connections
    made before a server accepts wait in its backlog. A port another program listens on
    raises ``OSError`` (``EADDRINUSE``) on every OS."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
    # proto is TCP, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if sys.platform == "win32":
            # Windows' SO_REUSEADDR would let two sockets share a port (and steal it); its
            # exclusive mode makes a taken port fail to bind, as on POSIX.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)  # type: ignore[attr-defined,unused-ignore]
        else:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def is_port_taken(exc: OSError) -> bool:
    """``exc`` from :func:`listening_socket` means the port is in use (or not ours to take)."""
    codes = {errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1), 10013}
    return exc.errno in codes or getattr(exc, "winerror", None) in (10048, 10013)


def lan_address() -> str | None:
    """This machine's IPv4 address on its local network (the one its default route uses),
    or ``None`` without a network. No packet is sent: a UDP ``connect`` only picks the
    route."""
    candidates: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere for real
        candidates.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        candidates += socket.gethostbyname_ex(socket.gethostname())[2]
    for address in candidates:
        try:
            ip = ipaddress.IPv4Address(address)
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local):
            return address
    return None


def http_url(host: str, port: int) -> str:
    """``http://host:port`` (brackets for an IPv6 host)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def url_of(sock: socket.socket) -> str:
    """``http://host:port`` of a listening socket. A socket on every interface (the LAN
    demo mode) is named by this machine's LAN address, so links it hands out (payment
    pages) open on a phone on the same network; without one, by loopback."""
    host, port = sock.getsockname()[:2]
    if host == ALL_INTERFACES:
        host = lan_address() or "127.0.0.1"
    return http_url(host, port)
