"""JUnit XML for CI systems that show test reports: one test case per rule that ran, one
``<failure>`` per new finding at or above the fail level; findings below it are listed in the test
case's ``<system-out>``. An invalid inventory is one failing ``invalid-inventory`` test case.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..analysis.engine import EXPIRED_WAIVER, Result, fails, problem_findings
from ..errors import InventoryError
from ..analysis.findings import Finding, Status

if TYPE_CHECKING:
    from . import ReportContext

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

def clean(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)

def format_result(result: Result, ctx: ReportContext) -> str:
    rules = list(result.rules)
    if any(f.rule == EXPIRED_WAIVER.ID for f in result.findings):
        rules.append(EXPIRED_WAIVER.ID)
    by_rule: dict[str, list[Finding]] = {r: [] for r in rules}
    for f in result.findings:
        if f.status is Status.NEW:
            by_rule.setdefault(f.rule, []).append(f)
    return _document(by_rule, ctx.fail_on)

def format_problems(error: InventoryError, ctx: ReportContext) -> str:
    findings = problem_findings(error)
    return _document({findings[0].rule if findings else "invalid-inventory": findings}, "info")

def _document(by_rule: dict[str, list[Finding]], fail_on: str) -> str:
    suites = ET.Element("testsuites", name="stackmap")
    suite = ET.SubElement(suites, "testsuite", name="stackmap")
    tests = failures = 0
    for rule in sorted(by_rule):
        tests += 1
        case = ET.SubElement(suite, "testcase", classname="stackmap", name=rule)
        failing = [f for f in by_rule[rule] if fails([f], fail_on)]
        passing = [f for f in by_rule[rule] if f not in failing]
        for f in failing:
            failure = ET.SubElement(case, "failure", type=f.severity.value, message=clean(f.message))
            failure.text = clean(_detail(f))
        if failing:
            failures += 1
        if passing:
            out = ET.SubElement(case, "system-out")
            out.text = clean("\n".join(f"{f.severity.value}: {_detail(f)}" for f in passing))
    for element, count in ((suites, (tests, failures)), (suite, (tests, failures))):
        element.set("tests", str(count[0]))
        element.set("failures", str(count[1]))
        element.set("errors", "0")
    suite.set("skipped", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"

def _detail(f: Finding) -> str:
    lines = [f"{f.location}: {f.message}"]
    lines += [f"  also at {r}" for r in f.related]
    return "\n".join(lines)
