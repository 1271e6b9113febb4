"""index.html in a real browser (headless Chromium): loads cleanly and offline, system details and
neighbours on click and keyboard, findings filters, pan and zoom, escaping, and the page with JavaScript off.

Skipped with the reason when Chromium or Playwright is missing, except in CI (``CI=true``), where
missing them fails. A screenshot is saved under ``tests/artifacts/``.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import ARTIFACTS, Recorder, launch, playwright, require_browser
from helpers import write

ROOT = Path(__file__).resolve().parent.parent
needs_dot = pytest.mark.skipif(shutil.which("dot") is None and os.environ.get("CI") != "true",
                               reason="Graphviz is not installed (the diagrams need it)")


def make_report(inventory, out):
    env = {**os.environ, "STACKMAP_TODAY": "2025-06-30"}
    done = subprocess.run([sys.executable, "-m", "stackmap", "report", str(inventory), "-o", str(out),
                           "--format", "html"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return (out / "index.html").as_uri()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    require_browser()
    return make_report(ROOT / "inventories", tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def driver():
    require_browser()
    with playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(driver, tmp_path_factory):
    context = launch(driver, tmp_path_factory.mktemp("profile"))
    yield context
    context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.recorder = Recorder(page)
    yield page
    page.close()


def visible_rows(page):
    return page.locator("#findings-table tbody tr:visible")


@needs_dot
def test_loads_offline_without_errors_and_saves_a_screenshot(page, sample):
    page.goto(sample)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.className") == "js"
    # the overview is a summary by owner; its detail views, below it, draw every system
    assert page.locator("#diagram-overview g.node[data-system]").count() == 0
    drawn = page.locator("svg.diagram g.node[data-system]").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('data-system'))")
    assert len(set(drawn)) == 35
    assert page.locator("#diagram-overview-caption ~ ul.notes a").count() == 14
    assert page.locator(".filters").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
    assert page.recorder.errors == []
    assert page.recorder.foreign == []
    assert page.recorder.requests == [sample]


@needs_dot
def test_clicking_a_system_shows_its_details_and_neighbours(page, sample):
    page.goto(sample)
    details = page.locator("#details")
    assert details.is_hidden()
    page.locator('#diagram-owner-events g.node[data-system="mailchimp"]').click()
    assert details.is_visible()
    assert page.locator("#details-title").inner_text() == "Mailchimp"
    assert page.evaluate("document.activeElement.id") == "details-title"
    body = page.locator("#details-body")
    assert body.locator("dt").all_inner_texts() == [
        "Owner", "Vendor", "Lifecycle", "Capabilities", "Data", "Annual cost", "IT reviewed", "Flows in",
        "Flows out", "Findings", "Defined at"]
    assert body.locator("dd").nth(0).inner_text() == "events"
    assert body.locator("dd").nth(5).inner_text() == "9,600"
    assert "from Salesforce Sales Cloud: contact (file)" in body.inner_text()
    assert body.locator(".sev").count() == 4  # its four findings
    overview = page.locator("#diagram-owner-events")
    assert overview.get_attribute("class") == "diagram has-selection"
    selected = overview.locator("g.node.is-selected")
    assert selected.count() == 1 and selected.get_attribute("data-system") == "mailchimp"
    neighbours = sorted(overview.locator("g.node.is-neighbour").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('data-system'))"))
    assert neighbours == ["eventbrite", "salesforce"]
    assert overview.locator("g.edge.is-active").count() == 2
    # a neighbour in the panel selects that system
    body.get_by_role("link", name="Salesforce Sales Cloud").first.click()
    assert page.locator("#details-title").inner_text() == "Salesforce Sales Cloud"
    assert overview.locator("g.node.is-selected").get_attribute("data-system") == "salesforce"
    page.keyboard.press("Escape")
    assert details.is_hidden()
    assert page.locator(".is-selected, .is-neighbour, .has-selection").count() == 0
    assert page.recorder.errors == []


def test_a_list_entry_shows_details_without_leaving_the_page(page, sample):
    page.goto(sample)
    page.locator("table.systems").get_by_role("link", name="Canva for Teams").click()
    assert page.locator("#details").is_visible()
    assert page.locator("#details-title").inner_text() == "Canva for Teams"
    assert "isolated-system" in page.locator("#details-body").inner_text()
    assert page.url == sample
    page.locator("#details-close").click()
    assert page.locator("#details").is_hidden()
    assert page.recorder.errors == []


@needs_dot
def test_keyboard_reaches_a_system_node(page, sample):
    page.goto(sample)
    node = page.locator('#diagram-owner-data g.node[data-system="segment"]')
    node.focus()
    page.keyboard.press("Enter")
    assert page.locator("#details-title").inner_text() == "Twilio Segment"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.getAttribute('data-system')") == "segment"


def test_filtering_the_findings_table(page, sample):
    from playwright.sync_api import expect  # polls without evaluating strings, which the page's CSP forbids

    page.goto(sample)
    total = page.locator("#findings-table tbody tr").count()
    assert total == 26
    expect(visible_rows(page)).to_have_count(total)
    page.select_option("#filter-rule", "shadow-it")
    expect(visible_rows(page)).to_have_count(5)  # a long page (many diagrams) may apply it a little later
    assert set(visible_rows(page).evaluate_all("rows => rows.map(r => r.dataset.rule)")) == {"shadow-it"}
    expect(page.locator("#findings-count")).to_have_text("Showing 5 of 26 findings.")
    page.select_option("#filter-severity", "warning")
    expect(visible_rows(page)).to_have_count(4)
    page.select_option("#filter-rule", "")
    page.fill("#filter-search", "mailchimp consent-not")
    expect(page.locator("#findings-count")).to_have_text("Showing 1 of 26 findings.")
    expect(visible_rows(page)).to_have_count(1)
    expect(visible_rows(page).first).to_have_attribute("data-rule", "consent-not-propagated")
    expect(visible_rows(page).first).to_contain_text("Mailchimp (mailchimp) sends messages")
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#findings-count")).to_have_text("Showing 26 of 26 findings.")
    expect(visible_rows(page)).to_have_count(total)
    assert page.recorder.errors == []


@needs_dot
def test_pan_and_zoom(page, sample):
    page.goto(sample)
    svg = page.locator("#diagram-overview")
    fitted = svg.get_attribute("viewBox")
    width = lambda: float(svg.get_attribute("viewBox").split()[2])  # noqa: E731
    start = width()
    figure = page.locator("figure", has=svg)
    figure.get_by_role("button", name="Zoom in").click()
    assert width() == pytest.approx(start / 1.4)
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -100)
    assert width() == pytest.approx(start / 1.4 / 1.2)
    before = svg.get_attribute("viewBox").split()
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 200, box["y"] + box["height"] / 2 - 100, steps=5)
    page.mouse.up()
    after = svg.get_attribute("viewBox").split()
    assert float(after[0]) > float(before[0]) and float(after[1]) > float(before[1])
    assert page.locator("#details").is_hidden()  # a drag is not a click
    figure.get_by_role("button", name="Fit").click()
    assert svg.get_attribute("viewBox") == fitted
    assert page.recorder.errors == []


def test_a_script_in_a_name_stays_text(page, tmp_path):
    write(tmp_path, {"stack.yaml": """\
        systems:
          - {id: evil, name: "<script>alert(1)</script>", owner: "<img src=x onerror=alert(2)>", data: [content]}
          - {id: crm, name: CRM, owner: sales, data: [content]}
        flows:
          - {from: evil, to: crm, data: [content]}
    """})
    url = make_report(tmp_path / "stack.yaml", tmp_path / "out")
    page.goto(url)
    page.locator("table.systems").get_by_role("link", name="<script>alert(1)</script>").click()
    assert page.locator("#details-title").inner_text() == "<script>alert(1)</script>"
    assert page.locator("#details-body dd").first.inner_text() == "<img src=x onerror=alert(2)>"
    assert page.locator("#details-body img, main img").count() == 0
    assert page.recorder.dialogs == []
    assert page.recorder.errors == []
    assert page.recorder.foreign == []


def test_with_javascript_off_the_static_content_is_all_there(driver, sample, tmp_path):
    context = launch(driver, tmp_path / "profile", javascript=False)
    try:
        page = context.new_page()
        recorder = Recorder(page)
        page.goto(sample)
        assert page.evaluate("1") == 1  # Playwright's own evaluation still works
        assert page.locator("html.no-js").count() == 1
        assert page.locator("#findings-table tbody tr:visible").count() == 26
        assert page.locator(".filters").is_hidden()
        assert page.locator(".toolbar").count() == 0 or page.locator(".toolbar").first.is_hidden()
        assert page.locator("article.card:visible").count() == 36
        assert page.locator("#capability-matrix tbody tr.dup").count() == 4
        assert page.locator("#spend table.chart tbody tr").count() == 13
        if shutil.which("dot"):
            assert page.locator("svg.diagram:visible").count() == 16  # overview, 14 detail views, customer data
        page.screenshot(path=str(tmp_path / "no-js.png"))
        assert recorder.errors == []
        assert recorder.foreign == []
    finally:
        context.close()
