"""The rule registry: one module per rule, each with ``ID``, ``SEVERITY``, ``SUMMARY``, ``check()``.

A rule's module docstring is its manual (``docs/rules.md`` is generated from them). Rules state
facts; severity overrides, disabling, waivers and baselines are applied by :mod:`stackmap.analysis.engine`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ...errors import ConfigError
from ..findings import Fact, Severity
from ..graph import Stack
from ...hints import suggest
from . import (
    conflicting_writers,
    consent_not_propagated,
    customer_data_silo,
    customer_data_to_unreviewed,
    customer_data_unsynced,
    duplicate_capability,
    flow_to_retired_system,
    flow_without_data,
    integration_hotspot,
    isolated_system,
    no_system_of_record,
    point_to_point_sprawl,
    shadow_it,
    sync_loop,
    unowned_system,
)


class Rule(Protocol):
    """What every rule module provides."""

    ID: str
    SEVERITY: Severity
    SUMMARY: str
    __doc__: str | None

    def check(self, stack: Stack) -> Iterable[Fact]: ...


RULES: dict[str, Rule] = {
    customer_data_silo.ID: customer_data_silo,
    customer_data_unsynced.ID: customer_data_unsynced,
    duplicate_capability.ID: duplicate_capability,
    flow_to_retired_system.ID: flow_to_retired_system,
    flow_without_data.ID: flow_without_data,
    isolated_system.ID: isolated_system,
    no_system_of_record.ID: no_system_of_record,
    shadow_it.ID: shadow_it,
    customer_data_to_unreviewed.ID: customer_data_to_unreviewed,
    consent_not_propagated.ID: consent_not_propagated,
    unowned_system.ID: unowned_system,
    integration_hotspot.ID: integration_hotspot,
    sync_loop.ID: sync_loop,
    point_to_point_sprawl.ID: point_to_point_sprawl,
    conflicting_writers.ID: conflicting_writers,
}


RENAMED: dict[str, str] = {}
"""Rule ids that no longer exist → the rule that replaced them (for a did-you-mean in config)."""


def get(rule_id: str) -> Rule:
    """The rule with ``rule_id``; a :class:`ConfigError` naming the valid ids otherwise."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise ConfigError(
            f"unknown rule {rule_id!r}{suggest(rule_id, list(RULES))}; valid rules: {', '.join(RULES)}"
        ) from None
