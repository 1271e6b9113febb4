"""What a rule reads of the inventory, field by field: the editing loop runs a rule again only when
a field it reads has changed (:mod:`stackmap.analysis.incremental`).

Every rule reads the systems' ``id`` and ``lifecycle`` (rules look at live systems only). A rule
module declares the rest as ``READS = reads(systems="owner it_reviewed", ...)``; a module without
``READS`` runs again after every edit. ``tests/test_incremental.py`` changes every field a rule does
not declare, in real inventories, and checks that its facts stay the same.
"""

from __future__ import annotations

from ..load.results import SECTION_MODELS

ALWAYS = ("systems.id", "systems.lifecycle")


def fields(section: str) -> tuple[str, ...]:
    """The model fields of a section, in model order (``from`` is ``from_``)."""
    return tuple(SECTION_MODELS[section].model_fields)


def reads(systems: str = "", flows: str = "", capabilities: bool = False, categories: bool = False) -> frozenset[str]:
    """The ``section.field`` names a rule reads: space-separated system and flow fields, and
    whether it reads capability or data-category definitions (all their fields)."""
    out = set(ALWAYS)
    for section, names in (("systems", systems), ("flows", flows)):
        known = fields(section)
        for name in names.split():
            if name not in known:
                raise ValueError(f"{section} have no field {name!r} (fields: {', '.join(known)})")
            out.add(f"{section}.{name}")
    for section, wanted in (("capabilities", capabilities), ("data_categories", categories)):
        if wanted:
            out.update(f"{section}.{name}" for name in fields(section))
    return frozenset(out)


FLOW_KEY = "id from_ to mechanism data"
"""The flow fields of its identity (:attr:`Flow.key`): read by every rule that names a flow."""
