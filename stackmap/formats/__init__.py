"""Reporter registry: one module per output format, each returning a string (never printing).

Every reporter module provides ``format_result(result, ctx)`` for an analysed inventory and
``format_problems(error, ctx)`` for an invalid one. The registry names every format without
importing it (``--format`` choices and ``stackmap --help`` stay fast); a module is imported the
first time it is looked up.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..analysis.engine import Result
    from ..errors import InventoryError


@dataclass(frozen=True)
class ReportContext:
    """What a reporter may need besides the findings."""

    fail_on: str = "error"
    color: bool = False
    version: str = ""
    show_suppressed: bool = False
    """Also list waived and baselined findings (left out by default)."""


class Reporter(Protocol):
    """What every reporter module provides."""

    def format_result(self, result: Result, ctx: ReportContext) -> str: ...

    def format_problems(self, error: InventoryError, ctx: ReportContext) -> str: ...


class _Registry(Mapping[str, Reporter]):
    """Format name → reporter module (``stackmap.formats.<name>``), imported on first use."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names

    def __getitem__(self, name: str) -> Reporter:
        if name not in self._names:
            raise KeyError(name)
        module: Reporter = importlib.import_module(f"{__name__}.{name}")  # type: ignore[assignment]
        return module

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


REPORTERS: Mapping[str, Reporter] = _Registry(
    ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")
)


def get(name: str) -> Reporter:
    """The reporter for ``name``; a :class:`~stackmap.errors.UsageError` listing the formats otherwise."""
    from ..errors import UsageError
    from ..hints import suggest

    if name not in REPORTERS:
        raise UsageError(f"unknown format {name!r}{suggest(name, REPORTERS)}; "
                         f"valid formats: {', '.join(REPORTERS)}")
    return REPORTERS[name]
