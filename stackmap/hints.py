"""Small text helpers for messages (kept free of heavy imports)."""

from __future__ import annotations

import difflib
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
