"""Anchors and aliases while building: what an alias brings in, counted and checked.

An alias expands to its anchored value's whole subtree; the nodes every alias brings in are counted
while building, so an alias bomb stops within :attr:`Limits.max_alias_expansion`, and a recursive
alias is refused. A value anchored under an ``x-`` key counts only if an alias later brings it into
a real field: what building it would have reported is kept on its :class:`Anchor` until then (an
unused alias bomb or recursive alias under an ``x-`` key is harmless).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from .limits import Limits
from .yaml_scalars import YamlProblem, problem_at


class Anchor:
    """An anchored value: what aliases to it bring in, and what building it first would report."""

    __slots__ = ("value", "size", "line", "column", "open", "realized", "poisoned", "refs",
                 "deferred", "fatal")

    def __init__(self, value: Any, line: int, column: int) -> None:
        self.value = value
        self.size = 1
        """Nodes in the fully expanded value (capped just past the budget)."""
        self.line = line
        self.column = column
        self.open = False
        """Still being built: an alias to it now is recursive."""
        self.realized = False
        """Built in a real field (not under an ``x-`` key), or brought into one by an alias."""
        self.poisoned: Anchor | None = None
        """The anchor of a recursive alias inside the value (it contains itself)."""
        self.refs: list[Anchor] = []
        """Anchors that building this value in a real field would build or reuse, in order."""
        self.deferred: list[YamlProblem] = []
        """Problems to report if the value is ever brought into a real field."""
        self.fatal: YamlProblem | None = None


class Anchors:
    """The anchors of one document and the problems found while building it (the builder's base)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[YamlProblem] = []
        self.anchors: dict[str, Anchor] = {}
        self.expanded = 0

    # Problems found while building: reported at once in a real field, remembered on the anchored
    # value they belong to otherwise (reported if an alias ever brings it in), else dropped.
    def _report(self, problem: YamlProblem, real: bool, hidden: bool, owner: Anchor | None) -> None:
        if real:
            self.problems.append(problem)
        elif not hidden and owner is not None:
            owner.deferred.append(problem)

    def _fail(self, problem: YamlProblem, real: bool, hidden: bool, owner: Anchor | None) -> None:
        if real:
            raise problem
        if not hidden and owner is not None and owner.fatal is None:
            owner.fatal = problem

    def _count(self, anchor: Anchor) -> None:
        self.expanded += anchor.size
        if self.expanded > self.limits.max_alias_expansion:
            raise YamlProblem(
                anchor.line, anchor.column,
                f"aliases expand to more than {self.limits.max_alias_expansion:,} nodes (an alias bomb?)",
            )

    def _realize(self, root: Anchor) -> None:
        """Bring an anchored value built under an ``x-`` key into a real field: report what building
        it there would have reported, and count the aliases it reuses. Breadth first, in the order
        PyYAML's constructor builds (and so reports), and iteratively."""
        self._enter(root)
        queue = deque([root])
        while queue:
            for ref in queue.popleft().refs:
                if ref.realized:
                    self._count(ref)
                else:
                    self._enter(ref)
                    queue.append(ref)

    def _enter(self, anchor: Anchor) -> None:
        if anchor.poisoned is not None:
            cycle = anchor.poisoned
            raise YamlProblem(cycle.line, cycle.column, "recursive alias: a node contains itself")
        if anchor.fatal is not None:
            raise anchor.fatal
        self.problems.extend(anchor.deferred)
        anchor.realized = True

    def _anchor(self, name: str, value: Any, mark: Any, hidden: bool, owner: Anchor | None) -> Anchor:
        first = self.anchors.get(name)
        if first is not None:
            raise problem_at(mark, f"invalid YAML: the anchor &{name} is defined twice "
                                   f"(first at line {first.line + 1})")
        anchor = Anchor(value, mark.line, mark.column)
        self.anchors[name] = anchor
        if not hidden and owner is not None:
            owner.refs.append(anchor)
        return anchor
