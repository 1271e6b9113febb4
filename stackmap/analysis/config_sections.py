"""The ``rules:``, ``options:`` and ``waivers:`` sections of a configuration file, checked and read.

Each function reads one section of a :class:`~stackmap.analysis.config_doc.ConfigDoc` into the
model of :mod:`stackmap.analysis.config`, reporting every problem on the document (an unknown rule,
option or waiver field names the valid ones) rather than stopping at the first.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from typing import Any

from .config import RuleSetting
from .config_doc import ConfigDoc, dotted, is_text, one_of, only_keys, string_list
from .findings import Severity
from .options import Options
from ..hints import suggest
from .waivers import WAIVER_FIELDS, Waiver

RULE_KEYS: tuple[str, ...] = ("enabled", "severity")
SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)


def parse_rules(doc: ConfigDoc, value: object) -> dict[str, RuleSetting]:
    """``rules: {rule-id: {enabled, severity}}``; ``rule-id: off`` and ``rule-id: warning`` are short forms."""
    from .rules import RULES

    if value is None:
        return {}
    if not only_keys(doc, value, ("rules",), tuple(RULES)):
        return {}
    assert isinstance(value, dict)
    settings: dict[str, RuleSetting] = {}
    for rule_id, raw in value.items():
        if rule_id not in RULES:
            continue
        path = ("rules", rule_id)
        setting = RuleSetting()
        if isinstance(raw, bool) or raw == "off":
            setting.enabled = raw is True
        elif isinstance(raw, str):
            choice = one_of(doc, raw, path, (*SEVERITIES, "off"), "severity")
            setting.severity = Severity(choice) if choice in SEVERITIES else None
        elif isinstance(raw, dict):
            only_keys(doc, raw, path, RULE_KEYS)
            if "enabled" in raw:
                if isinstance(raw["enabled"], bool):
                    setting.enabled = raw["enabled"]
                else:
                    doc.problem((*path, "enabled"), f"{dotted((*path, 'enabled'))}: expected true or false")
            if "severity" in raw:
                choice = one_of(doc, raw["severity"], (*path, "severity"), SEVERITIES, "severity")
                setting.severity = Severity(choice) if choice else None
        else:
            doc.problem(path, f"rules.{rule_id}: expected a severity, off, or a mapping with "
                              f"{' and '.join(RULE_KEYS)}")
            continue
        settings[rule_id] = setting
    return settings


def parse_options(doc: ConfigDoc, value: object) -> Options:
    """``options:``: every field of :class:`stackmap.analysis.options.Options`, lists of strings."""
    if value is None:
        return Options()
    names = tuple(f.name for f in dataclasses.fields(Options))
    if not only_keys(doc, value, ("options",), names):
        return Options()
    assert isinstance(value, dict)
    given: dict[str, Any] = {}
    for name in names:
        if name in value:
            default = getattr(Options(), name)
            if isinstance(default, tuple):
                given[name] = string_list(doc, value[name], ("options", name))
            elif isinstance(default, bool):
                if isinstance(value[name], bool):
                    given[name] = value[name]
                else:
                    doc.problem(("options", name), f"options.{name}: expected true or false")
            elif isinstance(default, (int, float)):
                number = value[name]
                kind = int if isinstance(default, int) else (int, float)
                if (isinstance(number, kind) and not isinstance(number, bool) and number >= 0
                        and math.isfinite(number)):
                    given[name] = number
                else:
                    doc.problem(("options", name), f"options.{name}: expected "
                                f"{'a whole number' if kind is int else 'a finite number'} of 0 or more")
            else:
                given[name] = value[name]
    return Options(**given)


def parse_waivers(doc: ConfigDoc, value: object, path: tuple[object, ...]) -> list[Waiver]:
    from .rules import RULES

    if value is None:
        return []
    if not isinstance(value, list):
        doc.problem(path, f"{dotted(path)}: expected a list of waivers")
        return []
    out: list[Waiver] = []
    for i, raw in enumerate(value):
        here = (*path, i)
        if not only_keys(doc, raw, here, WAIVER_FIELDS):
            continue
        assert isinstance(raw, dict)
        ok = True
        for name in WAIVER_FIELDS:
            if name not in raw:
                doc.problem(here, f"{dotted(here)}: missing required field {name!r}")
                ok = False
        for name in ("rule", "target", "reason"):
            if name in raw and not is_text(raw[name]):
                doc.problem((*here, name), f"{dotted((*here, name))}: expected text")
                ok = False
        rule = raw.get("rule")
        if isinstance(rule, str) and rule not in RULES:
            doc.problem((*here, "rule"), f"{dotted((*here, 'rule'))}: unknown rule {rule!r}"
                                         f"{suggest(rule, RULES)}; valid rules: {', '.join(RULES)}")
            ok = False
        expires = _date(raw.get("expires"))
        if "expires" in raw and expires is None:
            doc.problem((*here, "expires"), f"{dotted((*here, 'expires'))}: expected a date like 2025-06-30")
            ok = False
        if ok and expires is not None:
            out.append(Waiver(rule=str(rule), target=str(raw["target"]), reason=str(raw["reason"]).strip(),
                              expires=expires, location=doc.where(here)))
    return out


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None
