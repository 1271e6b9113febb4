"""The look of every diagram, as data: colours, shapes, edge styles and legend texts.

Colours come from the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies); every finding mark also carries a text tag and a border style, so a diagram still
reads in greyscale.
"""

from __future__ import annotations

FONT = "Helvetica"

GRAPH: dict[str, str] = {
    "fontname": FONT,
    "fontsize": "12",
    "labelloc": "t",
    "labeljust": "l",
    "bgcolor": "white",
    "pad": "0.3",
}
NODE: dict[str, str] = {
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "#FFFFFF",
    "color": "#4D4D4D",
    "fontname": FONT,
    "fontsize": "11",
    "margin": "0.15,0.08",
}
EDGE: dict[str, str] = {
    "fontname": FONT,
    "fontsize": "9",
    "color": "#9A9A9A",
    "fontcolor": "#555555",
    "arrowsize": "0.7",
}
CLUSTER: dict[str, str] = {
    "style": "rounded,filled",
    "fillcolor": "#F4F6F8",
    "color": "#C9CED6",
    "fontname": FONT,
    "fontsize": "11",
    "fontcolor": "#333333",
}
SIDE_BY_SIDE_CLUSTER: dict[str, str] = {**CLUSTER, "fillcolor": "#EAF2FA", "color": "#0072B2"}

SECONDARY_TEXT = "#555555"
"""Colour of a node's second and later lines (vendor, capabilities)."""

RECORD: dict[str, str] = {"shape": "cylinder", "penwidth": "2", "color": "#000000"}
"""A system of record: a cylinder with a heavy outline and a ``SYSTEM OF RECORD`` line."""
RECORD_TAG = "SYSTEM OF RECORD"

CONTEXT: dict[str, str] = {"fillcolor": "#FAFAFA", "color": "#A6A6A6", "fontcolor": "#666666"}
"""A flow partner outside the view's focus."""
FOCUS: dict[str, str] = {"penwidth": "3", "color": "#000000"}
"""The system a ``system:ID`` view is about."""
RETIRED: dict[str, str] = {"style": "rounded,filled,dashed", "fillcolor": "#EFEFEF", "color": "#A6A6A6",
                           "fontcolor": "#8C8C8C"}
RETIRED_TAG = "RETIRED"

MARK_ORDER: tuple[str, ...] = ("silo", "unsynced", "duplicate", "isolated")
"""Finding marks by precedence: the first one a system has sets its colours and border."""

MARKS: dict[str, dict[str, str]] = {
    "silo": {
        "rule": "customer-data-silo", "tag": "SILO", "fill": "#FAD9C6", "color": "#D55E00",
        "penwidth": "3", "style": "rounded,filled,bold",
        "legend": "customer data with no path to a system of record",
    },
    "unsynced": {
        "rule": "customer-data-unsynced", "tag": "UNSYNCED", "fill": "#FCEBC7", "color": "#E69F00",
        "penwidth": "3", "style": "rounded,filled,dashed",
        "legend": "customer data that never flows into a system of record",
    },
    "duplicate": {
        "rule": "duplicate-capability", "tag": "DUPLICATE", "fill": "#D5E8F5", "color": "#0072B2",
        "penwidth": "2", "style": "filled,diagonals",
        "legend": "provides a capability another system also provides",
    },
    "isolated": {
        "rule": "isolated-system", "tag": "ISOLATED", "fill": "#F4DCEA", "color": "#CC79A7",
        "penwidth": "2", "style": "rounded,filled,dotted",
        "legend": "no flow to or from any other system",
    },
}
"""Each mark: the rule it shows, its text tag, fill and outline colour, border style, legend text."""

RULE_MARK: dict[str, str] = {m["rule"]: kind for kind, m in MARKS.items()}

CUSTOMER_EDGE: dict[str, str] = {"color": "#1A1A1A", "penwidth": "2.2", "fontcolor": "#1A1A1A"}
"""A flow carrying customer data: dark and heavy."""
OTHER_EDGE: dict[str, str] = {"color": "#9A9A9A", "penwidth": "1"}
RETIRED_EDGE: dict[str, str] = {"color": "#C8C8C8", "fontcolor": "#A6A6A6"}

MECHANISM_STYLE: dict[str, str] = {
    "api": "solid", "webhook": "solid", "stream": "solid", "ipaas": "solid",
    "batch": "dashed", "file": "dashed",
    "manual": "dotted",
}
"""Edge style per mechanism; a merged edge takes the least automated style among its flows."""
STYLE_RANK: dict[str, int] = {"solid": 0, "dashed": 1, "dotted": 2}
STYLE_LEGEND: dict[str, str] = {
    "solid": "api, webhook, stream, ipaas (or not stated)",
    "dashed": "batch or file",
    "dotted": "manual",
}

MERMAID_CLASSES: dict[str, str] = {
    "record": "fill:#FFFFFF,stroke:#000000,stroke-width:2px",
    "context": "fill:#FAFAFA,stroke:#A6A6A6,color:#666666",
    "focus": "stroke:#000000,stroke-width:3px",
    "retired": "fill:#EFEFEF,stroke:#A6A6A6,color:#8C8C8C,stroke-dasharray:4 3",
    "silo": "fill:#FAD9C6,stroke:#D55E00,stroke-width:3px",
    "unsynced": "fill:#FCEBC7,stroke:#E69F00,stroke-width:3px,stroke-dasharray:6 3",
    "duplicate": "fill:#D5E8F5,stroke:#0072B2,stroke-width:2px",
    "isolated": "fill:#F4DCEA,stroke:#CC79A7,stroke-width:2px,stroke-dasharray:2 2",
    "legend": "fill:#FFFFFF,stroke:#C9CED6,color:#333333",
}
"""Mermaid ``classDef`` bodies; the finding classes mirror :data:`MARKS`."""
MERMAID_CUSTOMER_LINK = "stroke:#1A1A1A,stroke-width:2.5px"
MERMAID_OTHER_LINK = "stroke:#9A9A9A,stroke-width:1px"
MERMAID_DASHES: dict[str, str] = {"dashed": "6 4", "dotted": "2 3"}
