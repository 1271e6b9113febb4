import yaml
from hypothesis import given
from hypothesis import strategies as st

from stackmap.interop.draft import Ids, slugify
from stackmap.interop.emit import scalar
from stackmap.load.model import ID_PATTERN
import re


@given(st.text(max_size=40))
def test_every_string_reads_back_the_same(text):
    assert yaml.load(f"k: {scalar(text)}\nl: [{scalar(text)}, x]\n", Loader=yaml.CSafeLoader) == {
        "k": text, "l": [text, "x"]}


def test_yaml_surprises_are_quoted():
    assert [scalar(v) for v in ("no", "0123", "2024-01-01", "12:30", "null", "Salesforce", "a b", 145000.0, 1.5, True)] == [
        '"no"', '"0123"', '"2024-01-01"', '"12:30"', '"null"', "Salesforce", "a b", "145000", "1.5", "true"]


@given(st.text(max_size=30))
def test_slugify_gives_valid_ids(text):
    assert re.fullmatch(ID_PATTERN, slugify(text))


def test_slugify_and_dedupe():
    assert slugify("Adobe Marketo Engage") == "adobe-marketo-engage"
    assert slugify("Forms & Surveys") == "forms-and-surveys"
    assert slugify("Événements") == "evenements"
    assert slugify("web.shop") == "web.shop"
    assert slugify("!!!", "system") == "system"
    ids = Ids()
    assert [ids.claim(x) for x in ("crm", "crm", "crm-2", "crm")] == ["crm", "crm-2", "crm-2-2", "crm-3"]


def test_trailing_line_break_is_not_an_id():
    assert slugify("crm\n") == "crm"
    assert scalar("A\n") == '"A\\n"'


@given(st.text(max_size=40))
def test_any_text_makes_one_valid_comment_line(text):
    from stackmap.interop.emit import comment
    line = comment(text)
    assert "\n" not in line and line.isprintable()
    assert yaml.load(f"# {line}\nk: 1\n", Loader=yaml.CSafeLoader) == {"k": 1}


def test_control_characters_in_comments_are_escapes():
    from stackmap.interop.emit import comment
    assert comment("web\x01app \x1b[31m\u2028x") == "web\\x01app \\x1b[31m x"


def test_noncharacters_are_escaped_and_read_back():
    for text in ("a\uffffb", "\ufffe", "x\x85y"):
        assert yaml.load(f"k: {scalar(text)}\n", Loader=yaml.CSafeLoader) == {"k": text}
