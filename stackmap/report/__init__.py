"""The wiki report: ``report.md`` for Markdown wikis and a self-contained, interactive ``index.html``.

``inventory → Report (data.py) → report.md (markdown.py) and index.html (html.py)``; the SVG
diagrams are also written beside ``report.md``. :func:`files` gives every file of a report as
``{name: text}``; the command writes them::

    from stackmap.report import build, files
    written = files(build(stack, config, "Our stack", today), "both")
"""

from __future__ import annotations

from .data import Report, build
from .html import format_html
from .markdown import format_markdown

__all__ = ["FORMATS", "Report", "build", "files", "format_html", "format_markdown"]

FORMATS: tuple[str, ...] = ("both", "html", "markdown")
"""``--format`` choices: ``html`` writes ``index.html``; ``markdown`` writes ``report.md`` and the SVGs
it links to; ``both`` writes all of them."""
MARKDOWN_FILE = "report.md"
HTML_FILE = "index.html"


def files(report: Report, fmt: str = "both") -> dict[str, str]:
    """Every file of the report in ``fmt``, by name, in the order they are written."""
    out: dict[str, str] = {}
    if fmt in ("both", "markdown"):
        for figure in report.figures:
            if figure.svg is not None:
                out[figure.file] = figure.svg
        out[MARKDOWN_FILE] = format_markdown(report)
    if fmt in ("both", "html"):
        out[HTML_FILE] = format_html(report)
    return out
