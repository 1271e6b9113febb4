"""Small text helpers for messages (kept free of heavy imports)."""

from __future__ import annotations

import difflib
from collections import defaultdict
import re
from collections.abc import Iterable


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``word``, else an empty string."""
    if len(word) > 100:  # no real id is that long; comparing would only cost time
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how much was cut (a value of megabytes must not be
    repeated whole in every message that names it)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


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


class Suggester:
    """Did-you-mean against a fixed set of choices, bounded for many queries against many choices.

    Each distinct word is answered once. While a budget of comparisons lasts, a word is compared with
    every choice (as :func:`suggest`); past it, only with the choices one deletion away from it on either
    side (an index of deletions: a typo, a swapped or missing character), so 20,000 unknown ids against
    20,000 known ones cost a dict lookup per character, not 400 million comparisons.
    """

    BUDGET = 5_000
    """Comparisons spent on full scans before switching to the index."""
    INDEX_MAX_CHOICES = 200_000
    """Past this many choices, no index is built (its memory would grow with every id)."""
    INDEX_MAX_LENGTH = 48

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = list(dict.fromkeys(choices))
        self._budget = self.BUDGET
        self._memo: dict[str, str] = {}
        self._index: dict[str, list[str]] | None = None

    def __call__(self, word: str) -> str:
        found = self._memo.get(word)
        if found is None:
            found = self._memo[word] = self._answer(word)
        return found

    def _answer(self, word: str) -> str:
        if len(word) > 100 or not self.choices:
            return ""
        if len(self.choices) <= self._budget:
            self._budget -= len(self.choices)
            return suggest(word, self.choices)
        if len(word) > self.INDEX_MAX_LENGTH or len(self.choices) > self.INDEX_MAX_CHOICES:
            return ""
        index = self._build()
        near: set[str] = set()
        for key in (word, *_deletions(word)):
            near.update(index.get(key, ()))
        if not near:
            return ""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for choice in sorted(near):
            matcher.set_seq1(choice)
            score = matcher.ratio()
            if score >= 0.75 and (best is None or score > best[0]):
                best = (score, choice)
        return f" (did you mean {best[1]!r}?)" if best else ""

    def _build(self) -> dict[str, list[str]]:
        if self._index is None:
            index: defaultdict[str, list[str]] = defaultdict(list)
            for choice in self.choices:
                if len(choice) <= self.INDEX_MAX_LENGTH:
                    index[choice].append(choice)
                    for key in _deletions(choice):
                        index[key].append(choice)
            self._index = index
        return self._index


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: a cell starting with ``= + - @``, a tab or a
    carriage return (or their full-width forms) gets a leading ``'``, which spreadsheets show as text."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def spreadsheet_text(cell: str) -> str:
    """The inverse of :func:`spreadsheet_safe`: the text of a cell it protected (``'=x`` → ``=x``)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell
