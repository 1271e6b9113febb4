"""Generate ``docs/rules.md`` from the rule modules' docstrings: ``python -m stackmap.analysis.docgen``."""

from __future__ import annotations

import inspect

from .rules import RULES


def rules_markdown() -> str:
    """The rule reference as Markdown, one section per rule, in registry order."""
    out = [
        "# Rule reference",
        "",
        "Generated from each rule's docstring by `make docs` (`python -m stackmap.analysis.docgen`); do not edit.",
        "Rule ids are public: configurations, waivers and baselines name them.",
        "",
        "| id | default severity | summary |",
        "|---|---|---|",
    ]
    for rule in RULES.values():
        out.append(f"| [`{rule.ID}`](#{rule.ID}) | {rule.SEVERITY.value} | {rule.SUMMARY} |")
    for rule in RULES.values():
        doc = inspect.cleandoc(rule.__doc__ or "")
        title, _, body = doc.partition("\n")
        out += ["", f"## {rule.ID}", "", f"**{title.strip()}** Default severity: `{rule.SEVERITY.value}`.",
                "", body.strip()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
