"""What a :class:`~stackmap.analysis.graph.Stack` keeps for the next version of the inventory, value
by value: results per data category and per subject of a rule, each kept under everything it
reads, so the editing loop computes again only what an edit changed."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from .routes import Routes

if TYPE_CHECKING:
    from ..load.model import Flow

T = TypeVar("T")


class Keeping:
    """The values a stack keeps by slot (mixed into :class:`~stackmap.analysis.graph.Stack`)."""

    keeps: bool
    """Whether what :meth:`each` builds is kept for a next version (the editing loop's stacks)."""
    flows_by_category: dict[str, list[Flow]]

    def by_category(self, rule: str, category: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, a result for one category over that category's live flows, kept under
        those flows' routes and ``key``: everything else it reads (who stores the category, the
        systems it treats apart). The editing loop hands these on from one version to the next,
        so an edit runs this again only for the categories whose flows or key it changed."""
        slot = (rule, category)
        checked = self._checked
        if slot in checked and checked[slot][0] == key:  # already computed or checked for this version
            return checked[slot][1]  # type: ignore[no-any-return]
        value = self._kept_under(slot, (Routes(self.flows_by_category.get(category, [])), *key), compute)
        checked[slot] = (key, value)
        return value

    def each(self, slot: tuple[str, str], key: Callable[[], tuple[object, ...]], build: Callable[[], T]) -> T:
        """``build()`` for one subject of a rule (``slot``: the rule and, say, a system id), or, in
        the editing loop, what an earlier version built for it under an equal ``key()``: everything
        ``build`` reads. A rule that runs again after an edit then builds only the facts of the
        subjects the edit changed, and hands on the very objects it made before for the others, so
        they are not stamped again either. A one-shot analysis keeps nothing and builds no key."""
        if not self.keeps:
            return build()
        return self._kept_under(slot, key(), build)

    def _kept_under(self, slot: tuple[str, str], key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or the value kept in ``slot`` by an earlier version under an equal ``key``
        (everything the value is computed from)."""
        self._used.add(slot)
        kept = self._keyed.get(slot)
        if kept is not None and kept[0] == key:
            return kept[1]  # type: ignore[no-any-return]
        value = compute()
        self._keyed[slot] = (key, value)
        return value

    def forget_unused(self, rules: set[str]) -> None:
        """Drop what the ``rules`` (which ran in full for this version) kept for subjects they no
        longer have: a flow edited or removed, a system gone. What other rules kept stays, to be
        used when they run again."""
        keyed, used = self._keyed, self._used
        for slot in [slot for slot in keyed if slot[0] in rules and slot not in used]:
            del keyed[slot]

    @cached_property
    def _used(self) -> set[tuple[str, str]]:
        """The slots this version read or wrote (never handed on)."""
        return set()

    @cached_property
    def _checked(self) -> dict[tuple[str, str], tuple[tuple[object, ...], object]]:
        """The :meth:`by_category` results of this version, by slot (never handed on)."""
        return {}

    @cached_property
    def _keyed(self) -> dict[tuple[str, str], tuple[tuple[object, ...], object]]:
        """Values kept by slot under the key they were computed from (:meth:`_kept_under`); handed
        on from version to version whatever changed, since each entry checks its own key."""
        return {}
