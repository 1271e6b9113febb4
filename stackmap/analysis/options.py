"""The analysis options the rules share, set from the configuration's ``options:`` section."""

from __future__ import annotations

from dataclasses import dataclass

from ..load.model import SYSTEM_OF_RECORD


@dataclass(frozen=True)
class Options:
    """Analysis options shared by the rules (set from the configuration)."""

    record_roles: tuple[str, ...] = (SYSTEM_OF_RECORD,)
    """Roles that make a system a system of record."""
    non_exclusive: tuple[str, ...] = ()
    """Capabilities where several providers are normal, besides those defined ``exclusive: false``."""
    messaging_capabilities: tuple[str, ...] = (
        "email-marketing", "marketing-automation", "mobile-engagement", "sms", "push-notifications",
    )
    """Capabilities that send messages to people (``consent-not-propagated``); aliases resolve."""
    hub_capabilities: tuple[str, ...] = (
        "ipaas", "cdp", "data-pipeline", "reverse-etl", "data-warehouse", "tag-management",
        "marketing-automation", "ecommerce", "website", "product",
    )
    """Capabilities that make a system integration infrastructure, a hub by design: flows to or
    from it are not point-to-point integrations (``point-to-point-sprawl``), and it is never an
    accidental hub (``integration-hotspot``); aliases resolve."""
    replica_capabilities: tuple[str, ...] = ("data-warehouse", "data-lake", "business-intelligence")
    """Capabilities of systems that hold copies for analysis, never the data's owner: loading into
    them and syncing derived data back is not a loop (``sync-loop``); aliases resolve."""
    sprawl_ratio: float = 1.0
    """``point-to-point-sprawl`` fires when direct integrations per system reach this ratio..."""
    sprawl_connections: int = 10
    """...or when one system has at least this many direct integrations."""
    marketing_owners: tuple[str, ...] = ("marketing", "marketing-*", "*-marketing")
    """Owner names (shell-style patterns, case-insensitive) that count as marketing in ``spend``."""
    it_owners: tuple[str, ...] = ("it", "it-*")
    """Owner names (shell-style patterns, case-insensitive) that count as IT in ``spend``."""
