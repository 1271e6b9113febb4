"""How the client and the daemon talk: a message is a JSON header and the byte strings it announces.

A frame is a 4-byte big-endian length and that many bytes. A message is one frame of JSON (an object
whose ``sizes`` lists the byte strings that follow) and then the byte strings themselves, unframed.
Every length is bounded, so a peer cannot make the other side allocate without limit.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

MAX_HEADER = 4 << 20
"""A header holds a command line and an environment: 4 MB is far beyond either."""
MAX_BODY = 1 << 30
"""What a check writes at 50,000 systems is ~20 MB."""
_LENGTH = struct.Struct(">I")


class WireError(OSError):
    """The peer closed the connection early or sent something that is not a message."""


class TooLarge(WireError):
    """A header over :data:`MAX_HEADER`: refused before anything is sent."""


def send(sock: socket.socket, header: dict[str, Any], *blobs: bytes) -> None:
    """Send a header and its byte strings."""
    head = json.dumps({**header, "sizes": [len(b) for b in blobs]}).encode("ascii")
    if len(head) > MAX_HEADER:
        raise TooLarge(f"a header of {len(head):,} bytes is over the limit of {MAX_HEADER:,}")
    sock.sendall(_LENGTH.pack(len(head)) + head)
    for blob in blobs:
        sock.sendall(blob)


def receive(sock: socket.socket, max_body: int = MAX_BODY) -> tuple[dict[str, Any], list[bytes]]:
    """Receive one message: its header and its byte strings (at most ``max_body`` bytes of them; a
    request has none)."""
    (length,) = _LENGTH.unpack(_exactly(sock, _LENGTH.size))
    if length > MAX_HEADER:
        raise WireError(f"a header of {length:,} bytes is over the limit of {MAX_HEADER:,}")
    try:
        header = json.loads(_exactly(sock, length))
    except ValueError as exc:
        raise WireError(f"not a message: {exc}") from None
    sizes = header.get("sizes") if isinstance(header, dict) else None
    if not isinstance(sizes, list) or not all(isinstance(n, int) and 0 <= n for n in sizes) \
            or sum(sizes) > max_body:
        raise WireError("not a message: bad sizes")
    return header, [_exactly(sock, n) for n in sizes]


def _exactly(sock: socket.socket, n: int) -> bytes:
    """``n`` bytes, read as they come: memory grows with what arrives, not with what was announced."""
    chunks: list[bytes] = []
    got = 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise WireError("the connection closed early")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def peer_uid(conn: socket.socket) -> int | None:
    """The user id of the process at the other end of a Unix socket (``None``: not known here)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return int(uid)
