"""Reporter registry: one module per output format, each returning a string (never printing).

Every reporter module provides ``format_result(result, ctx)`` for an analysed inventory and
``format_problems(error, ctx)`` for an invalid one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..engine import Result
from ..errors import InventoryError
from . import json, text


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may need besides the findings."""

    fail_on: str = "error"
    color: bool = False
    version: str = ""


class Reporter(Protocol):
    """What every reporter module provides."""

    def format_result(self, result: Result, ctx: ReportContext) -> str: ...

    def format_problems(self, error: InventoryError, ctx: ReportContext) -> str: ...


REPORTERS: dict[str, Reporter] = {
    "text": text,
    "json": json,
}
