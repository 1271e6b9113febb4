"""The help an editor shows for each field of an inventory file: description, Markdown description
and examples, added to the generated JSON Schema by :mod:`stackmap.load.schema`.

Keyed by definition (``System``, ``Flow``, ``CapabilityDef``, ``DataCategoryDef``, and ``""`` for
the top level of a file) and field (as written in YAML). ``ENUMS`` describes each value of the
fields that take one of a fixed set (``markdownEnumDescriptions``, which the YAML language server and
VS Code show next to each completion).
"""

from __future__ import annotations

from typing import Any

Doc = tuple[str, list[Any]]
"""(Markdown description, examples). The plain ``description`` is the Markdown without backticks."""

ID_HELP = "lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit"

FIELDS: dict[str, dict[str, Doc]] = {
    "": {
        "systems": ("The systems of the stack: each piece of software, with `id` and `name`.",
                    [[{"id": "salesforce", "name": "Salesforce Sales Cloud"}]]),
        "flows": ("Data moving between systems: `from` and `to` system ids, and the `data` carried.",
                  [[{"from": "salesforce", "to": "marketo", "data": ["contact"], "mechanism": "api"}]]),
        "capabilities": ("Capability definitions: a name, aliases, and whether several providers are normal "
                         "(`exclusive: false`).", [[{"id": "crm", "name": "CRM", "aliases": ["sales-crm"]}]]),
        "data_categories": ("Data categories added to the built-ins, or overriding one (`customer: false` "
                            "makes it not customer data).", [[{"id": "loyalty", "name": "Loyalty points"}]]),
    },
    "System": {
        "id": (f"Unique id of the system across all files: {ID_HELP}. Flows refer to it.", ["salesforce"]),
        "name": ("The name shown in diagrams, reports and findings. Must not be empty.",
                 ["Salesforce Sales Cloud"]),
        "vendor": ("Who makes it.", ["Salesforce"]),
        "owner": ("The team or person responsible for it: `owner` views and the `unowned-system` rule use it.",
                  ["sales-ops"]),
        "description": ("What it is used for.", ["Customer master record"]),
        "capabilities": (f"What it does, as capability ids ({ID_HELP}) or aliases. Two active systems with "
                         "the same exclusive capability are a `duplicate-capability` finding.", [["crm"]]),
        "data": ("The data categories it stores: built-in (`contact`, `account`, `lead`, `behavioral`, "
                 "`transactional`, `consent`, `support-case`, `content`, `ad-performance`, `product`, "
                 "`financial`) or defined under `data_categories`.", [["contact", "account"]]),
        "roles": ("Roles in the architecture; `system-of-record` marks the master of customer data.",
                  [["system-of-record"]]),
        "lifecycle": ("Where it is in its life: `planned`, `active` (the default), `retiring` or `retired`. "
                      "Retired systems are left out of every rule.", ["active"]),
        "annual_cost": ("What it costs a year, a finite number of 0 or more (no currency sign).", [186000]),
        "it_reviewed": ("Whether IT has reviewed it: `true` or `false`, unquoted. A system storing customer "
                        "data with no review status is a `shadow-it` finding.", [True]),
        "tags": ("Free labels, shown in reports and exports.", [["tier-1", "gdpr"]]),
        "part_of": ("The group it belongs to, outermost first, levels separated by ` / ` (a Backstage domain "
                    "and system, an ArchiMate grouping). No rule reads it; `render --group-by part_of` draws "
                    "each group as a box.", ["Marketing / Web"]),
    },
    "Flow": {
        "id": (f"Optional unique id of the flow: {ID_HELP}. Without it a flow is known by from, to, "
               "mechanism and data.", ["mql-handover"]),
        "from": ("The id of the system the data leaves.", ["marketo"]),
        "to": ("The id of the system the data reaches (not the same as `from`).", ["salesforce"]),
        "data": ("The data categories the flow carries. A flow with none carries nothing "
                 "(`flow-without-data`).", [["lead"]]),
        "mechanism": ("How the data moves: `api`, `batch`, `file`, `stream`, `webhook`, `ipaas` or `manual`.",
                      ["api"]),
        "frequency": ("How often, in words.", ["hourly"]),
        "description": ("What the flow is for.", ["MQL handover to sales"]),
    },
    "CapabilityDef": {
        "id": (f"The capability's id: {ID_HELP}.", ["crm"]),
        "name": ("Its name in reports.", ["Customer relationship management"]),
        "aliases": ("Other ids systems may use for it; each must not be another definition's id.",
                    [["sales-crm"]]),
        "exclusive": ("Whether one provider is expected (`true`, the default): then two providers are a "
                      "`duplicate-capability` finding.", [True]),
    },
    "DataCategoryDef": {
        "id": (f"The category's id: {ID_HELP}. Redefining a built-in one is allowed.", ["loyalty"]),
        "name": ("Its name in reports.", ["Loyalty points"]),
        "customer": ("Whether it is customer data (`true`, the default): the customer-data rules follow it.",
                     [True]),
        "append_only": ("Whether records are only ever appended (events), never overwritten: then writers "
                        "cannot conflict (`sync-loop`, `conflicting-writers`). Default: as the built-in of "
                        "that id (`behavioral` is append-only), else `false`.", [False]),
    },
}

ENUMS: dict[str, dict[str, str]] = {
    "lifecycle": {
        "planned": "Not in use yet; counts like an active system, so a plan that creates a silo fails.",
        "active": "In use (the default).",
        "retiring": "Being phased out; counts everywhere except `duplicate-capability`.",
        "retired": "No longer in use: left out of every rule; a flow touching it is `flow-to-retired-system`.",
    },
    "mechanism": {
        "api": "Calls to an API.",
        "batch": "Scheduled bulk loads.",
        "file": "Files exchanged (SFTP, shared drive).",
        "stream": "An event stream.",
        "webhook": "Pushed events (webhooks).",
        "ipaas": "An integration platform (iPaaS) in between.",
        "manual": "People moving data by hand (exports, copy and paste).",
    },
}


def plain(markdown: str) -> str:
    """The description without Markdown code marks."""
    return markdown.replace("`", "")
