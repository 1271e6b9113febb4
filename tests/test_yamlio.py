"""The YAML builder on its own: PyYAML's SafeLoader semantics, plus marks, checks and limits."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stackmap.load import yamlio
from stackmap.load.limits import Limits
from stackmap.load.yaml_scalars import YamlProblem
from stackmap.load.yamlio import parse


def data(text: str, limits: Limits = Limits()) -> object:
    parsed = parse(text, limits)
    assert parsed.problems == []
    return parsed.data


def fails(text: str, limits: Limits = Limits()) -> str:
    with pytest.raises(YamlProblem) as info:
        parse(text, limits)
    p = info.value
    return f"{p.line + 1}:{p.column + 1}: {p.message}"


def problems(text: str) -> list[str]:
    return [f"{p.line + 1}:{p.column + 1}: {p.message}" for p in parse(text).problems]


# --- Same values as yaml.safe_load ----------------------------------------------------------------

SAME_AS_SAFE_LOAD = [
    "a: 1\nb: 1.5\nc: true\nd: no\ne: ~\nf: 0123\ng: 0x1F\nh: 12:30\ni: 1_000\nj: .inf\nk: -.5e3\n",
    "dates: [2024-01-01, 2024-01-01 10:00:00, 2024-01-01T10:00:00Z, 2001-12-14t21:59:43.10-05:00]\n",
    "quoted: ['no', \"0123\", '', \"\\t\", 'x: y']\nplain: [yes, On, OFF, n, y, Null, NULL, '~']\n",
    "tagged: [!!str 5, !!int '7', !!float '1', !!bool 'true', !!null '', !!binary aGk=]\n",
    "blocks: |\n  line one\n  line two\nfolded: >\n  a\n  b\nempty:\n",
    "a: {b: [c, {d: e}]}\n? complex key\n: value\n",
    "anchors: &a [1, 2]\nuse: *a\nscalar: &s hello\nagain: *s\n",
    "base: &b {x: 1, y: 2}\nover: {<<: *b, y: 3}\nmulti: {<<: [{x: 1}, {x: 2, z: 3}], w: 0}\n",
    "- a\n- - b\n  - c\n-\n  k: v\n",
    "plain scalar document\n",
    "",
    "# only a comment\n",
    "--- 5\n...\n",
    "'=': 1\n'<<': 2\n",
]


@pytest.mark.parametrize("text", SAME_AS_SAFE_LOAD)
def test_values_are_those_of_safe_load(text: str) -> None:
    assert parse(text).data == yaml.load(text, Loader=yaml.CSafeLoader)


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    | st.dates() | st.datetimes(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text().filter(lambda k: not k.startswith("x-")), children, max_size=4),
    max_leaves=20,
))
@settings(max_examples=150, deadline=None)
def test_any_dumped_value_reads_back_like_safe_load(value: object) -> None:
    for style in (False, True, None):
        text = yaml.safe_dump(value, default_flow_style=style, allow_unicode=True)
        assert parse(text).data == yaml.load(text, Loader=yaml.CSafeLoader)


def test_plain_scalars_resolve_the_same_whether_cached_or_not() -> None:
    assert data("a: [no, no, '0123', 0123, 0123]\n") == {"a": [False, False, "0123", 83, 83]}
    assert data("b: 2024-01-01\n") == {"b": datetime.date(2024, 1, 1)}
    assert data("c: 2024-01-01\n") == {"c": datetime.date(2024, 1, 1)}


# --- Marks, keys, merges ----------------------------------------------------------------------------


def test_one_mark_per_mapping_at_its_first_character() -> None:
    parsed = parse("top:\n  - &a {x: 1}\n  - y: 2\n    z: {w: 3}\n")
    doc = parsed.data
    assert isinstance(doc, dict)
    first, second = doc["top"]
    marks = {id(m): parsed.marks[id(m)] for m in (doc, first, second, second["z"])}
    assert list(marks.values()) == [(0, 0), (1, 4), (2, 4), (3, 7)]


def test_duplicate_keys_are_problems_and_the_first_value_stays() -> None:
    parsed = parse("a: 1\nb: 2\na: 3\nx-n: 1\nx-n: 2\n")
    assert parsed.data == {"a": 1, "b": 2}
    assert problems("a: 1\nb: 2\na: 3\nx-n: 1\nx-n: 2\n") == ["3:1: duplicate key 'a'", "5:1: duplicate key 'x-n'"]


def test_equal_keys_of_different_types_are_duplicates_like_in_a_dict() -> None:
    assert problems("1: a\n1.0: b\n") == ["2:1: duplicate key 1.0"]


def test_merge_precedence_literal_then_earlier_source() -> None:
    text = """
    a: &a {k: a, only_a: 1}
    b: &b {k: b, only_b: 2, <<: {k: nested, deep: 3}}
    m:
      <<: [*a, *b]
      own: 0
    n:
      k: mine
      <<: *a
    """
    doc = data(yaml_text(text))
    assert doc["m"] == {"k": "a", "only_a": 1, "only_b": 2, "deep": 3, "own": 0}
    assert doc["n"] == {"k": "mine", "only_a": 1}


def test_two_merge_keys_in_one_mapping_are_a_duplicate_key() -> None:
    # Two literal `<<` keys are a duplicate like any other key (PyYAML would silently keep the last);
    # one `<<` with a list of mappings is the way to merge several.
    assert problems("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc: {<<: *a, <<: *b}\n") == ["3:13: duplicate key '<<'"]
    assert data("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc: {<<: [*a, *b]}\n")["c"] == {"x": 1, "y": 2}  # type: ignore[index]


def test_a_merge_of_a_list_with_a_scalar_is_refused() -> None:
    assert fails("a: {<<: [{x: 1}, 5]}\n") == "1:9: a merge key (<<) takes a mapping or a list of mappings"


def test_x_keys_are_dropped_at_every_level_and_in_merge_sources() -> None:
    text = "x-top: 1\na: {x-in: [1], b: 2}\nsrc: &s {x-hidden: 1, k: v}\nm: {<<: *s}\n"
    assert data(text) == {"a": {"b": 2}, "src": {"k": "v"}, "m": {"k": "v"}}


def test_problems_under_x_keys_count_only_if_an_alias_brings_them_in() -> None:
    assert problems("x-a: {k: 1, k: 2}\nb: 1\n") == []
    assert parse("x-a: !!int nope\nb: 1\n").data == {"b": 1}
    assert problems("x-a: &a {k: 1, k: 2}\nb: *a\n") == ["1:16: duplicate key 'k'"]
    assert fails("x-a: &a [!!int nope]\nb: *a\n") == "1:10: invalid YAML: cannot read 'nope' as an integer"
    assert fails("x-a: &a [!!int nope]\nb: [*a]\n") == "1:10: invalid YAML: cannot read 'nope' as an integer"
    # ... but what sits under an x- key of the aliased value itself still does not count
    assert data("x-a: &a {k: 1, x-z: !!int nope}\nb: *a\n") == {"b": {"k": 1}}


# --- Aliases: budget, recursion, undefined, redefined -----------------------------------------------


def test_alias_budget_counts_expanded_sizes_on_reuse() -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"  # each reuse brings 4 nodes
    assert data(text, Limits(max_alias_expansion=12))["b"] == [[1, 2, 3]] * 3  # type: ignore[index]
    assert fails(text, Limits(max_alias_expansion=11)) == (
        "1:4: aliases expand to more than 11 nodes (an alias bomb?)")


def test_an_unused_alias_bomb_costs_nothing_but_a_used_one_is_refused() -> None:
    bomb = "".join(f"x-l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 30))
    assert data("x-l0: &l0 a\n" + bomb + "k: 1\n") == {"k": 1}
    assert fails("x-l0: &l0 a\n" + bomb + "k: *l29\n").endswith("(an alias bomb?)")


def test_recursive_aliases() -> None:
    assert fails("a: &a [1, *a]\n") == "1:4: recursive alias: a node contains itself"
    assert fails("a: &a {b: {c: *a}}\n") == "1:4: recursive alias: a node contains itself"
    assert data("x-a: &a [1, *a]\nb: 1\n") == {"b": 1}
    assert fails("x-a: &a [1, *a]\nx-b: &b {c: *a}\nd: *b\n") == "1:6: recursive alias: a node contains itself"


def test_undefined_and_redefined_anchors() -> None:
    assert fails("a: *nope\n") == "1:4: invalid YAML: found undefined alias"
    assert fails("a: &x 1\nb: &x 2\n") == "2:4: invalid YAML: the anchor &x is defined twice (first at line 1)"


def test_a_long_chain_of_anchors_needs_no_deep_recursion() -> None:
    lines = ["x-a0: &a0 [v]"] + [f"x-a{i}: &a{i} [*a{i - 1}]" for i in range(1, 5000)]
    assert data("\n".join(lines) + "\nk: *a4999\n", Limits(max_depth=10_000))["k"] is not None  # type: ignore[index]


# --- Tags ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("a: !!int abc\n", "1:4: invalid YAML: cannot read 'abc' as an integer"),
    ("a: !!int\n", "1:4: invalid YAML: cannot read '' as an integer"),
    ("a: !!float x\n", "1:4: invalid YAML: cannot read 'x' as a number"),
    ("a: !!bool maybe\n", "1:4: invalid YAML: cannot read 'maybe' as a boolean"),
    ("a: !!timestamp 2024-13-01\n", "1:4: invalid YAML: cannot read '2024-13-01' as a date"),
    ("a: !!binary abc\n", "1:4: invalid YAML: failed to decode base64 data: Incorrect padding"),
    ("a: !!set {x}\n", "1:4: invalid YAML: !!set is not supported here"),
    ("a: !!omap [x: 1]\n", "1:4: invalid YAML: !!omap is not supported here"),
    ("a: !!seq {x: 1}\n", "1:4: invalid YAML: !!seq on a value that is not a list"),
    ("a: !!seq x\n", "1:4: invalid YAML: !!seq on a value that is not a list"),
    ("a: !!str [x]\n", "1:4: invalid YAML: !!str on a list"),
    ("a: !local x\n", "1:4: invalid YAML: could not determine a constructor for the tag '!local'"),
    ("a: !!python/name:os.system x\n",
     "1:4: invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system'"),
])
def test_bad_tags_are_problems(text: str, expected: str) -> None:
    assert fails(text) == expected


def test_an_empty_tagged_value_under_an_x_key_is_ignored() -> None:
    # PyYAML's int constructor raises IndexError on an empty value; it must not escape.
    assert data("x-a: !!int\n") == {}


def test_good_explicit_tags() -> None:
    assert data("a: !!str 5\nb: !!map {x: 1}\nc: !!seq [1]\nd: ! 5\n") == {
        "a": "5", "b": {"x": 1}, "c": [1], "d": "5"}


# --- Documents and nesting -------------------------------------------------------------------------


def test_one_document_only() -> None:
    assert fails("a: 1\n---\nb: 2\n") == (
        "2:1: invalid YAML: a second YAML document in one file (only one is allowed)")


# libyaml 0.2.5 (bundled up to PyYAML 6.0.3) has no nesting bound of its own; 0.2.6 (PyYAML 6.0.4)
# stops at 1,000 levels with "exceeded maximum nesting depth". Either way our bound and message apply.
NO_LIBYAML_BOUND = 10_000_000
"""A libyaml bound so high that it never applies: the behaviour of libyaml 0.2.5."""


@pytest.fixture
def libyaml_bound() -> Iterator[Callable[[int], None]]:
    """Set the bundled libyaml's own nesting bound for one test, then restore it."""
    functions = yamlio._libyaml_nesting_functions()
    if functions is None:
        pytest.skip("this PyYAML bundles a libyaml without a nesting bound: nothing to simulate")
    getter, setter = functions
    before = getter()

    def set_bound(bound: int) -> None:
        setter(bound)
        yamlio.libyaml_nesting_bound.cache_clear()

    yield set_bound
    setter(before)
    yamlio.libyaml_nesting_bound.cache_clear()


@pytest.mark.parametrize("bound", [NO_LIBYAML_BOUND, 1_000, 50], ids=["libyaml-0.2.5", "libyaml-0.2.6", "lower"])
def test_nesting_bound_and_message_do_not_depend_on_libyaml(
        libyaml_bound: Callable[[int], None], bound: int) -> None:
    libyaml_bound(bound)
    deep = "systems: " + "[" * 50_000 + "]" * 50_000 + "\n"
    assert fails(deep, Limits()) == "1:1009: nested more than 1,000 levels deep"
    # The knob works past libyaml's default of 1,000, up to its documented ceiling.
    assert fails(deep, Limits(max_depth=5_000)) == "1:5009: nested more than 5,000 levels deep"
    within = "a: " + "[" * 4_000 + "]" * 4_000 + "\n"
    value, depth = yamlio.parse(within, Limits(max_depth=5_000)).data["a"], 1
    while value:
        value, depth = value[0], depth + 1
    assert depth == 4_000
    assert yamlio.compose(within) is not None  # locating a problem composes the file with libyaml too


def test_a_libyaml_bound_that_cannot_be_raised_is_named(
        libyaml_bound: Callable[[int], None], monkeypatch: pytest.MonkeyPatch) -> None:
    libyaml_bound(500)
    getter, _ = yamlio._libyaml_nesting_functions() or (None, None)
    monkeypatch.setattr(yamlio, "_libyaml_nesting_functions", lambda: (getter, lambda bound: None))
    yamlio.libyaml_nesting_bound.cache_clear()
    deep = "a: " + "[" * 2_000 + "]" * 2_000 + "\n"
    assert fails(deep, Limits()) == "1:503: nested more than 500 levels deep (the bound of the libyaml in use)"


def test_nesting_limit_is_configurable() -> None:
    assert data("a: [[[1]]]\n", Limits(max_depth=4)) == {"a": [[[1]]]}
    assert fails("a: [[[1]]]\n", Limits(max_depth=3)) == "1:6: nested more than 3 levels deep"


def yaml_text(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).lstrip("\n")
