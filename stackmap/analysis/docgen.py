"""Generate ``docs/rules.md`` from the rule modules' docstrings: ``python -m stackmap.analysis.docgen``."""

from __future__ import annotations

import inspect

from .rules import RULES

MEASURED: dict[str, tuple[int, int, int, int]] = {
    "composable-cdp-retail": (8, 9, 6, 6),
    "gitlab-marketing": (11, 13, 10, 11),
}
"""Real-stack fixtures (``tests/fixtures/stacks/``): (findings that name a problem of the answer key,
findings, answer-key problems found, answer-key problems). ``tests/test_real_stacks.py`` checks them."""

MEASURED_NOTES: tuple[str, ...] = (
    "Over-reported: `customer-data-unsynced` on tools whose own contacts a reviewer would not move into "
    "the master (support requesters in Zendesk, survey panels in Qualtrics, reviewers in Yotpo); mark "
    "such categories as not customer data, or waive them.",
    "Missed: a sync that only passes some records (Marketo pushes product sign-ups to Salesforce only "
    "once qualified); the inventory has no way to say a flow is conditional.",
    "Before this rule set the same two stacks gave 20 and 22 findings (precision 0.35 and 0.50, recall "
    "0.83 and 0.82): loops through the CRM and the warehouse, leaves called single points of failure, "
    "one finding per flow into a retired system, consumers called unsynced, and no duplicate-write "
    "rule.",
)
"""What the measured figures miss or over-report, one sentence each."""


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
    out += ["", "## Measured on real stacks", "",
            "Each stack under `tests/fixtures/stacks/` is transcribed from public material (its README gives the",
            "sources) and comes with an answer key: the problems a reviewing architect would raise, written",
            "without reference to the rules. Precision is the share of findings that name a problem of the key;",
            "recall the share of the key's problems named by at least one finding. `tests/test_real_stacks.py`",
            "recomputes these figures, so a regression fails the suite.", "",
            "| stack | findings | precision | recall |", "|---|--:|--:|--:|"]
    for name, (matched, findings, found, problems) in sorted(MEASURED.items()):
        out.append(f"| `{name}` | {findings} | {matched}/{findings} = {matched / findings:.2f} | "
                   f"{found}/{problems} = {found / problems:.2f} |")
    out += ["", "The findings that name no problem of the key, and the problems no rule can see, are listed in",
            "each stack's `answer-key.yaml` notes and in the table below.", ""]
    out += [f"- {line}" for line in MEASURED_NOTES]
    out += ["", "## Retired and renamed rule ids", "",
            "No rule id has been removed; `conflicting-writers` is new. A removed id would be listed here with",
            "the rule that replaced it (`stackmap.analysis.rules.RENAMED`)."]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
