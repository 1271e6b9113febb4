"""Shared helpers for the portfolio formatters: money, numbers for JSON, text and Markdown tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from ..hints import safe_text, spreadsheet_safe


def money(amount: float | None) -> str:
    """``145000`` → ``145,000``; cents only when there are any; ``None`` → ``unknown``."""
    if amount is None:
        return "unknown"
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def number(value: float | None) -> int | float | None:
    """A JSON number: integral floats as integers, so ``186000.0`` is written ``186000``."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def dump_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """Aligned plain-text columns; column indexes in ``right`` are right-aligned (numbers)."""
    rows = [[safe_text(str(c)) for c in row] for row in rows]  # escaped first, so columns stay aligned
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [str(c).rjust(w) if i in right else str(c).ljust(w)
                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def md_escape(text: str) -> str:
    """Escape what would break a Markdown table cell, start inline markup or notify someone
    (``@team`` mentions, ``#12`` references), and every control or bidi character."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")
    for ch in "*_`[]<>#~":
        out = out.replace(ch, "\\" + ch)
    return safe_text(out.replace("@", "&#64;"))


def plain_lines(lines: Sequence[str]) -> str:
    """Text output: every line with control, bidi and invalid characters escaped (one value can
    neither forge a line nor drive the terminal), joined with newlines."""
    return "\n".join(safe_text(line) for line in lines) + "\n"


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """A Markdown table; cells are escaped."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    out = ["| " + " | ".join(md_escape(h) for h in headers) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(md_escape(str(c)) for c in row) + " |" for row in rows]
    return out


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([spreadsheet_safe(c) if isinstance(c, str) else c for c in row] for row in rows)
    return buffer.getvalue()
