"""Legibility at a wiki page's width: the measurer itself, then the bounds `render` keeps at every size."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stackmap.load.inventory import load_inventory
from stackmap.render import RenderOptions, render
from stackmap.render.legibility import measure, parse_transform

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def svg(width, height, body, transform="scale(1 1) rotate(0) translate(4 100)"):
    return (f'<svg width="{width}pt" height="{height}pt" viewBox="0.00 0.00 {width}.00 {height}.00" '
            f'xmlns="http://www.w3.org/2000/svg"><g id="graph0" class="graph" transform="{transform}">'
            f"{body}</g></svg>")


def test_transforms_compose_left_to_right():
    a, b, c, d, e, f = parse_transform("scale(2 2) translate(4 100)")
    assert (a, d, e, f) == (2, 2, 8, 200)


def test_text_size_is_the_font_size_as_shown_on_the_page():
    body = '<text text-anchor="middle" x="10" y="-10" font-family="Helvetica" font-size="9.00">tiny</text>'
    wide = measure(svg(3000, 1000, body))
    assert wide.min_text_px == pytest.approx(9 * 1000 / 3000)
    assert wide.problems() == ["smallest text 3.0 px at 1000 px wide (< 8 px)", "aspect ratio 3.00:1 (> 2.5:1)"]
    small = measure(svg(300, 200, body))  # narrower than the page: shown at its own size, 1 pt = 4/3 px
    assert small.min_text_px == pytest.approx(12.0) and small.ok()
    scaled = measure(svg(300, 200, body, "scale(0.5 0.5) translate(4 100)"))
    assert scaled.min_text_px == pytest.approx(6.0)


def test_overlapping_texts_are_counted_with_their_anchors():
    left = '<text text-anchor="start" x="0" y="-50" font-size="10">contact, account</text>'
    on_it = '<text text-anchor="end" x="60" y="-52" font-size="10">(ipaas)</text>'
    below = '<text text-anchor="start" x="0" y="-38" font-size="10">(ipaas)</text>'
    found = measure(svg(400, 200, left + on_it + below))
    assert found.texts == 3 and found.overlaps == 1
    assert found.examples == (("contact, account", "(ipaas)"),)


def test_the_script_measures_files_and_fails_on_a_broken_bound(tmp_path):
    body = '<text x="0" y="-10" font-size="9">small</text>'
    (tmp_path / "wide.svg").write_text(svg(4000, 1000, body), encoding="utf-8")
    (tmp_path / "fine.svg").write_text(svg(700, 500, body), encoding="utf-8")
    script = [sys.executable, str(ROOT / "scripts" / "legibility.py")]
    fine = subprocess.run([*script, str(tmp_path / "fine.svg")], capture_output=True, text=True, check=False)
    assert fine.returncode == 0 and "| ok |" in fine.stdout
    wide = subprocess.run([*script, str(tmp_path / "wide.svg"), "--width", "800"], capture_output=True, text=True,
                          check=False)
    assert wide.returncode == 1 and "smallest text 1.8 px at 800 px wide (< 8 px)" in wide.stdout


STACKS = {
    "sample-overview": (None, 0.0, "overview"),
    "sample-customer-data": (None, 0.0, "customer-data"),
    "generated-10": (10, 4.5, "overview"),
    "generated-40": (40, 4.5, "overview"),
    "generated-100": (100, 4.5, "overview"),
    "generated-300": (300, 4.5, "overview"),
    "generated-2000": (2000, 4.5, "overview"),
    "no-flows-200": (200, 0.0, "overview"),
}


@pytest.fixture(scope="module")
def stacks(tmp_path_factory):
    made = {}

    def get(systems, flows):
        if systems is None:
            return ROOT / "inventories"
        key = (systems, flows)
        if key not in made:
            made[key] = tmp_path_factory.mktemp(f"stack-{systems}")
            generate(systems, made[key], flows_per_system=flows)
        return made[key]
    return get


@needs_dot
@pytest.mark.parametrize("name", list(STACKS))
def test_every_drawing_keeps_the_three_bounds_at_1000_px(stacks, name):
    systems, flows, view = STACKS[name]
    result = render(load_inventory([stacks(systems, flows)]), "svg", RenderOptions(view=view))
    found = measure(result.data, 1000)
    assert found.problems() == [], found.examples
    assert found.min_text_px >= 8 and found.overlaps == 0 and found.aspect <= 2.5


@needs_dot
def test_a_narrower_page_gets_a_drawing_legible_at_its_width(stacks):
    result = render(load_inventory([stacks(100, 4.5)]), "svg", RenderOptions(width=600))
    assert measure(result.data, 600).problems() == []


@needs_dot
def test_a_stack_too_big_for_one_picture_is_a_summary_naming_its_detail_views(stacks):
    result = render(load_inventory([stacks(300, 4.5)]), "svg", RenderOptions())
    assert result.systems == 278 and result.nodes == 10
    assert result.detail_views[:2] == ("owner:communications", "owner:customer-service")
    assert any(note.startswith("detail views: --view owner:communications, --view owner:customer-service")
               for note in result.notes)
    small = render(load_inventory([stacks(10, 4.5)]), "svg", RenderOptions())
    assert small.detail_views == () and small.nodes == small.systems == 9


@needs_dot
def test_an_empty_view_still_renders(tmp_path):
    (tmp_path / "stack.yaml").write_text(
        "systems:\n  - {id: a, name: A, data: [content]}\n  - {id: b, name: B, data: [content]}\n"
        "flows:\n  - {from: a, to: b, data: [content]}\n", encoding="utf-8")
    result = render(load_inventory([tmp_path / "stack.yaml"]), "svg", RenderOptions(view="customer-data"))
    found = measure(result.data)
    assert result.systems == 0 and found.texts == 1  # the title alone, at its own size
    assert found.min_text_px >= 8 and found.overlaps == 0


@needs_dot
def test_an_inventory_without_flows_is_a_grid_of_owner_boxes_with_one_note(stacks):
    result = render(load_inventory([stacks(40, 0.0)]), "svg", RenderOptions())
    assert result.notes == ("no flows are recorded, so every system is isolated (isolated-system); "
                            "systems are shown by group",)
    assert result.nodes == result.systems == 36 and result.engine == "neato"
    assert "ISOLATED" not in result.data  # the note says it once, not a tag on every box
    assert result.data.count('class="cluster"') == 10
    assert ">communications</text>" in result.data
    assert measure(result.data).problems() == []


@needs_dot
def test_a_layout_graphviz_fails_on_is_skipped_for_the_next(stacks, monkeypatch):
    from stackmap.errors import StackmapError
    from stackmap.render import graphviz

    real = graphviz.run

    def ortho_fails(text, fmt, engine):
        if 'splines="ortho"' in text:
            raise StackmapError("Graphviz (neato -Tsvg) failed: newtrap: Trapezoid-table overflow")
        return real(text, fmt, engine)

    monkeypatch.setattr(graphviz, "run", ortho_fails)
    inv = load_inventory([stacks(300, 4.5)])
    result = render(inv, "dot", RenderOptions())
    assert result.nodes == 10 and 'splines="false"' in result.data and result.legibility.ok()
    assert measure(render(inv, "svg", RenderOptions()).data).problems() == []
