"""Small text helpers for messages (kept free of heavy imports)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``word``, else an empty string."""
    if len(word) > 100:  # no real id is that long; comparing would only cost time
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 system``, ``2 systems``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
"""Characters no untrusted text may carry to a terminal, log or annotation as they are: C0 and C1
controls (ESC, newline, CR included), bidirectional overrides and isolates, zero-width and line
separators, and lone surrogates (a file name's non-UTF-8 bytes, decoded with ``surrogateescape``)."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a raw byte of a non-UTF-8 file name
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` as valid UTF-8 that shows every control, bidi and invalid character as an escape
    (``\\x1b``, ``\\u202e``, ``\\xe9`` for a raw byte): one line, printable anywhere."""
    return _UNSAFE.sub(_escape, text)
