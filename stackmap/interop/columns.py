"""The CSV sheets: their column names (with the synonyms people use in spreadsheets) and how cells
are read and written. Shared by the ``csv`` importer and exporter, so that what one writes the other
reads back unchanged.

Lists go in one cell, separated by ``;`` (or by line breaks); a cell without either is split on
``,``. The exporter writes ``a; b`` and checks that every list it writes reads back the same.
"""

from __future__ import annotations

import re

from ..hints import suggest
from ..load.model import LIFECYCLES, MECHANISMS, SYSTEM_OF_RECORD

SHEETS: dict[str, tuple[str, ...]] = {
    "systems": ("id", "name", "vendor", "owner", "description", "capabilities", "data", "roles",
                "lifecycle", "annual_cost", "it_reviewed", "tags"),
    "flows": ("id", "from", "to", "data", "mechanism", "frequency", "description"),
    "capabilities": ("id", "name", "aliases", "exclusive"),
    "data_categories": ("id", "name", "customer"),
}
"""Sheet kind → its columns, in the order the exporter writes them."""

LIST_COLUMNS = frozenset({"capabilities", "data", "roles", "tags", "aliases"})

SYNONYMS: dict[str, dict[str, str]] = {
    "systems": {
        "system_id": "id", "key": "id", "slug": "id",
        "system": "name", "system_name": "name", "tool": "name", "tool_name": "name", "application": "name",
        "application_name": "name", "app": "name", "product": "name", "title": "name",
        "supplier": "vendor", "provider": "vendor", "company": "vendor", "manufacturer": "vendor",
        "owning_team": "owner", "team": "owner", "business_owner": "owner", "department": "owner",
        "owned_by": "owner", "owner_team": "owner", "team_owner": "owner", "owning_department": "owner",
        "business_unit": "owner", "division": "owner", "product_owner": "owner", "app_owner": "owner",
        "application_owner": "owner", "system_owner": "owner", "it_owner": "owner", "technical_owner": "owner",
        "contact_person": "owner", "responsible": "owner", "owner_name": "owner", "owner_email": "owner",
        "business_owner_email": "owner", "app_owner_email": "owner", "it_owner_email": "owner",
        "app_name": "name", "software": "name", "service": "name", "saas_app": "name", "vendor_name": "vendor",
        "sanctioned": "it_reviewed", "it_sanctioned": "it_reviewed", "approved_by_it": "it_reviewed",
        "notes": "description", "comment": "description", "comments": "description", "purpose": "description",
        "summary": "description",
        "capability": "capabilities", "category": "capabilities", "categories": "capabilities",
        "function": "capabilities", "functions": "capabilities",
        "data_categories": "data", "data_category": "data", "data_stored": "data", "stored_data": "data",
        "data_types": "data", "personal_data": "data", "customer_data": "data", "data_processed": "data",
        "role": "roles",
        "status": "lifecycle", "stage": "lifecycle", "state": "lifecycle",
        "cost": "annual_cost", "annual_spend": "annual_cost", "yearly_cost": "annual_cost",
        "cost_per_year": "annual_cost", "spend": "annual_cost", "annual_cost_usd": "annual_cost",
        "reviewed": "it_reviewed", "it_approved": "it_reviewed", "security_reviewed": "it_reviewed",
        "approved": "it_reviewed",
        "tag": "tags", "labels": "tags", "label": "tags",
    },
    "flows": {
        "flow_id": "id", "integration_id": "id",
        "source": "from", "from_system": "from", "source_system": "from", "origin": "from",
        "producer": "from", "sender": "from",
        "target": "to", "destination": "to", "to_system": "to", "target_system": "to", "consumer": "to",
        "receiver": "to",
        "data_categories": "data", "data_category": "data", "payload": "data",
        "method": "mechanism", "integration": "mechanism", "transport": "mechanism", "type": "mechanism",
        "via": "mechanism",
        "schedule": "frequency", "cadence": "frequency", "sync": "frequency",
        "notes": "description", "comment": "description", "comments": "description",
    },
    "capabilities": {"capability": "id", "alias": "aliases", "exclusive_capability": "exclusive"},
    "data_categories": {"category": "id", "data_category": "id", "customer_data": "customer",
                        "is_customer_data": "customer"},
}
"""Sheet kind → normalised header → column. Headers are compared lowercased, with spaces and
hyphens read as underscores (``Annual cost`` → ``annual_cost``)."""

SHEET_NAMES: dict[str, str] = {
    "systems": "systems", "system": "systems", "applications": "systems", "apps": "systems",
    "tools": "systems", "inventory": "systems",
    "flows": "flows", "flow": "flows", "integrations": "flows", "interfaces": "flows",
    "connections": "flows", "data_flows": "flows",
    "capabilities": "capabilities",
    "data_categories": "data_categories", "categories": "data_categories",
}
"""File stem (normalised) → sheet kind; other files are recognised by their columns."""

LIFECYCLE_SYNONYMS: dict[str, str] = {
    **{v: v for v in LIFECYCLES},
    "live": "active", "production": "active", "in_use": "active", "in_production": "active",
    "current": "active", "keep": "active",
    "proposed": "planned", "evaluation": "planned", "evaluating": "planned", "pilot": "planned",
    "buying": "planned", "onboarding": "planned", "implementation": "planned", "experimental": "planned",
    "deprecated": "retiring", "sunset": "retiring", "sunsetting": "retiring", "phase_out": "retiring",
    "phasing_out": "retiring", "to_be_retired": "retiring", "replace": "retiring",
    "decommissioned": "retired", "sunsetted": "retired", "end_of_life": "retired", "eol": "retired",
    "cancelled": "retired", "canceled": "retired", "removed": "retired",
    "plan": "planned", "phase_in": "planned", "phasein": "planned", "trial": "planned", "in_trial": "planned",
    "poc": "planned", "proof_of_concept": "planned", "in_review": "planned", "under_review": "planned",
    "requested": "planned", "approved": "active", "operational": "active",
    "phaseout": "retiring", "retiring_soon": "retiring", "to_be_decommissioned": "retiring",
    "decommissioning": "retiring", "migrate": "retiring", "eliminate": "retiring",
    "endoflife": "retired", "inactive": "retired", "discontinued": "retired", "churned": "retired",
    "tolerate": "active", "invest": "active", "sanctioned": "active", "unsanctioned": "active",
    "shadow_it": "active", "blocked": "retiring",
}
"""Lifecycle words of inventories, EA tools (LeanIX phases: plan, phaseIn, active, phaseOut,
endOfLife) and Gartner's TIME model (tolerate, invest, migrate, eliminate)."""

MECHANISM_SYNONYMS: dict[str, str] = {
    **{v: v for v in MECHANISMS},
    "rest": "api", "rest_api": "api", "graphql": "api", "soap": "api", "api_call": "api", "native": "api",
    "connector": "api", "native_connector": "api", "sdk": "api",
    "etl": "batch", "elt": "batch", "reverse_etl": "batch", "bulk": "batch", "sync_job": "batch",
    "nightly": "batch", "scheduled": "batch",
    "sftp": "file", "ftp": "file", "csv": "file", "file_drop": "file", "s3": "file", "file_transfer": "file",
    "kafka": "stream", "streaming": "stream", "event_stream": "stream", "events": "stream",
    "pubsub": "stream", "kinesis": "stream",
    "webhooks": "webhook", "callback": "webhook", "http_callback": "webhook",
    "zapier": "ipaas", "workato": "ipaas", "mulesoft": "ipaas", "boomi": "ipaas", "make": "ipaas",
    "tray": "ipaas", "tray.io": "ipaas", "integration_platform": "ipaas", "middleware": "ipaas",
    "copy_paste": "manual", "spreadsheet": "manual", "export_import": "manual", "by_hand": "manual",
}

DATA_SYNONYMS: dict[str, str] = {
    "contacts": "contact", "people": "contact", "person": "contact", "customers": "contact",
    "customer": "contact", "subscribers": "contact",
    "accounts": "account", "companies": "account", "company": "account", "organisations": "account",
    "organizations": "account",
    "leads": "lead", "prospects": "lead",
    "behaviour": "behavioral", "behavioural": "behavioral", "behavior": "behavioral",
    "events": "behavioral", "clickstream": "behavioral", "web-events": "behavioral",
    "transactions": "transactional", "transaction": "transactional", "orders": "transactional",
    "purchases": "transactional",
    "consents": "consent", "preferences": "consent", "opt-in": "consent", "opt-ins": "consent",
    "support-cases": "support-case", "tickets": "support-case", "cases": "support-case",
    "ad-spend": "ad-performance", "ads": "ad-performance",
    "products": "product", "catalog": "product", "catalogue": "product",
    "finance": "financial", "invoices": "financial",
}
"""Common spreadsheet words for the built-in data categories (after slugifying)."""

_TRUE = frozenset({"true", "yes", "y", "1", "x", "✓", "✔", "t"})
_FALSE = frozenset({"false", "no", "n", "0", "f", "-"})
_SPLIT = re.compile(r"[;\n]")
_THOUSANDS = re.compile(r"^\d{1,3}([, ']\d{3})+(\.\d+)?$")


def normalise(header: str) -> str:
    """``" Annual Cost "`` → ``annual_cost``."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower()).strip("_")


TEAM_COLUMNS = frozenset({"team", "owning_team", "owner_team", "team_owner", "owning_department"})
UNIT_COLUMNS = frozenset({"department", "business_unit", "division"})
PERSON_COLUMNS = frozenset({"business_owner", "owned_by", "product_owner", "app_owner", "application_owner",
                            "system_owner", "it_owner", "technical_owner", "contact_person", "responsible",
                            "owner_name", "owner_email", "business_owner_email", "app_owner_email", "it_owner_email"})


def priority(kind: str, header: str) -> int:
    """How strongly a header means its column, lowest first: for ``owner`` a team column beats a
    department, which beats a plain ``Owner``, which beats a person (``Business owner``); for the
    other columns the column's own name beats a synonym (``Description`` beats ``Notes``)."""
    name = normalise(header)
    if column_for(kind, header) == "owner" and kind == "systems":
        return 0 if name in TEAM_COLUMNS else 1 if name in UNIT_COLUMNS else 2 if name == "owner" else 3
    return 0 if name == column_for(kind, header) else 1


GROUP_COLUMNS = frozenset({"part_of", "group", "grouping", "domain", "parent_system", "system_group"})
"""Headers read as a system's ``part_of`` (imported; the CSV export does not write it)."""


def column_for(kind: str, header: str) -> str | None:
    """The column a header names in a sheet of ``kind``, or ``None``."""
    name = normalise(header)
    if name in SHEETS[kind]:
        return name
    if kind == "systems" and name in GROUP_COLUMNS:
        return "part_of"
    return SYNONYMS[kind].get(name)


def split_list(cell: str) -> list[str]:
    """A list cell → its items, stripped, empty ones dropped."""
    parts = _SPLIT.split(cell) if _SPLIT.search(cell) else cell.split(",")
    return [p.strip() for p in parts if p.strip()]


def join_list(items: list[str]) -> str:
    """Items → one cell that :func:`split_list` reads back the same; ``ValueError`` if impossible."""
    text = "; ".join(items)
    if split_list(text) != items and len(items) == 1:
        text = items[0] + ";"
    if split_list(text) != items:
        raise ValueError(text)
    return text


def parse_bool(cell: str) -> bool:
    value = cell.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{cell!r} is not yes or no (use true/false, yes/no, 1/0)")


def parse_cost(cell: str) -> float:
    """``145000``, ``$145,000``, ``145 000 €``, ``1234.50`` → a number; ``ValueError`` otherwise."""
    text = cell.strip()
    text = re.sub(r"^(?:[$€£¥]|usd|eur|gbp|chf)\s*|\s*(?:[$€£¥]|usd|eur|gbp|chf)$", "", text, flags=re.I)
    text = text.replace("\u00a0", " ").strip()
    if _THOUSANDS.match(text):
        text = re.sub(r"[, ']", "", text)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{cell!r} is not a number") from None
    if value < 0 or value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{cell!r} must be 0 or more")
    return value


def format_cost(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def choose(cell: str, synonyms: dict[str, str], what: str, valid: tuple[str, ...]) -> str:
    """A closed-vocabulary cell (lifecycle, mechanism) → its value; ``ValueError`` listing the choices."""
    key = normalise(cell)
    if key in synonyms:
        return synonyms[key]
    raise ValueError(f"{cell!r} is not a {what}{suggest(key, valid)}; use one of {', '.join(valid)}")


def role(text: str) -> str:
    """Roles as written, except the spellings of ``system-of-record``."""
    if normalise(text).replace("_", "-") in (SYSTEM_OF_RECORD, "sor", "system-of-records", "golden-record"):
        return SYSTEM_OF_RECORD
    return text
