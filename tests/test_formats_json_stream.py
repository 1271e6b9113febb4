"""The JSON reporter's own encoder writes exactly what ``json.dumps(indent=2)`` writes, faster."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stackmap.analysis.engine import analyse
from stackmap.analysis.findings import Finding, Severity, Status
from stackmap.formats import ReportContext
from stackmap.formats import json as json_format
from stackmap.load.inventory import Location, load_inventory

SAMPLE = Path(__file__).parent.parent / "inventories"

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_encode_is_json_dumps(value: object) -> None:
    assert json_format.encode(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [{1: "a", 2.5: [], True: {}, None: ()}, ("a", ("b",)), "é\u2028\"<"])
def test_encode_odd_keys_and_tuples(value: object) -> None:
    assert json_format.encode(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_the_document_is_the_one_json_dumps_writes() -> None:
    with contextlib.chdir(SAMPLE.parent):
        result = analyse(load_inventory([Path("inventories")]))
    ctx = ReportContext(fail_on="warning")
    inv = result.inventory
    expected = {
        "version": 1, "valid": True,
        "inventory": {"files": len(inv.files), "systems": len(inv.systems), "flows": len(inv.flows),
                      "skipped": list(inv.skipped)},
        "findings": [json_format.finding(f) for f in result.findings],
        "errors": [], "notes": list(result.notes),
        "summary": {**{s: sum(1 for f in result.findings if f.severity.value == s and f.status.value == "new")
                       for s in ("error", "warning", "info")},
                    "total": len(result.findings), "new": len(result.new), "waived": 0, "baselined": 0,
                    "fail_on": "warning", "failed": True},
    }
    assert result.findings
    assert json_format.format_result(result, ctx) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    result.findings.clear()
    expected["findings"] = []
    expected["summary"] = {"error": 0, "warning": 0, "info": 0, "total": 0, "new": 0, "waived": 0,
                           "baselined": 0, "fail_on": "warning", "failed": False}
    assert json_format.format_result(result, ctx) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


texts = st.text() | st.sampled_from(["\u2028", "\x00\x1f\x7f", '"\\</script>', "é🎉", "\ud800"])
locations = st.builds(Location, texts, st.integers(min_value=1), st.integers(min_value=1))


@given(st.builds(
    Finding, rule=texts, severity=st.sampled_from(list(Severity)), message=texts,
    systems=st.lists(texts, max_size=3).map(tuple), location=locations,
    related=st.lists(locations, max_size=3).map(tuple), fingerprint=texts,
    capability=st.none() | texts, flow=st.none() | texts, data=st.lists(texts, max_size=3).map(tuple),
    details=st.dictionaries(st.text(max_size=8), values, max_size=3),
    status=st.sampled_from(list(Status)), justification=st.none() | texts,
))
def test_a_finding_is_written_as_json_dumps_writes_it(finding: Finding) -> None:
    expected = json.dumps(json_format.finding(finding), indent=2, ensure_ascii=False).replace("\n", "\n    ")
    assert json_format.encode_finding(finding, "    ") == expected
