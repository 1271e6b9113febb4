"""Generate realistic synthetic inventories for benchmarks: ``python bench/generate.py N OUT_DIR [SEED]``.

Shape (deterministic for a given seed): files of 50 systems; departments (owners) of 4 systems in a
40-system stack, 20 at 200, 50 from 500 on (so a large stack has many owners, as a large company does);
systems have vendors, 1-3 capabilities (so some overlap), customer and other data, costs and
lifecycles (mostly active; some planned, retiring, retired). About 4.5 flows per system: 70 % stay
inside the department, 25 % go to a few hubs spread over the departments (CRM systems of record, a
CDP, a warehouse, an iPaaS; one hub per 250 systems, at least four), 5 % go anywhere. Flows are written in the file of their source system.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

DEPARTMENTS = ["marketing", "marketing-ops", "sales-ops", "it", "data", "digital", "ecommerce",
               "customer-service", "events", "communications", "finance", "performance-marketing",
               "brand", "field-marketing", "partner-marketing", "product-marketing", "loyalty", "retail",
               "web", "crm", "analytics", "content", "social", "pr"]
CAPABILITIES = ["email-marketing", "marketing-automation", "web-analytics", "cms", "social-publishing",
                "paid-search", "paid-social", "forms", "surveys", "experimentation", "support", "live-chat",
                "event-management", "seo", "tag-management", "data-pipeline", "reverse-etl", "loyalty",
                "reviews", "design", "dam", "personalization", "sms", "push", "webinars", "crm", "cdp",
                "data-warehouse", "ipaas", "consent-management", "affiliate", "chatbot", "bi", "ecommerce",
                "payments", "translation", "video", "podcast", "intranet", "project-management"]
CUSTOMER = ["contact", "account", "lead", "behavioral", "transactional", "consent", "support-case"]
OTHER = ["content", "ad-performance", "product", "financial"]
MECHANISMS = ["api", "api", "api", "batch", "file", "stream", "webhook", "ipaas", "manual"]
LIFECYCLES = ["active"] * 16 + ["planned", "retiring", "retired"]
VENDORS = ["Adobe", "Salesforce", "Google", "Microsoft", "Oracle", "HubSpot", "Twilio", "Meta", "Braze",
           "Zendesk", "Shopify", "Snowflake", "Fivetran", "Contentful", "Sitecore", "Acme", "Initech",
           "Globex", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell"]
PER_FILE = 50
HUBS = (("crm", "CRM", ["crm"], "system-of-record"), ("cdp", "Customer data platform", ["cdp"], None),
        ("warehouse", "Data warehouse", ["data-warehouse"], None), ("ipaas", "Integration hub", ["ipaas"], None))


def generate(n_systems: int, out_dir: Path, seed: int = 1, flows_per_system: float = 4.5) -> list[Path]:
    """Write an inventory of ``n_systems`` systems under ``out_dir``; return the files written."""
    reviews = random.Random(seed + 1)  # its own stream: adding review status left the layouts as they were
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_files = max(1, -(-n_systems // PER_FILE))
    ids = [f"sys-{i:05d}" for i in range(n_systems)]
    n_hubs = min(len(ids), max(4, n_systems // 250))
    hub_ids = {ids[i * (n_systems // n_hubs)]: HUBS[i % len(HUBS)] for i in range(n_hubs)}
    hubs = list(hub_ids)
    team = min(PER_FILE, max(4, n_systems // 10))  # systems per department
    files: list[Path] = []
    seen: set[tuple[str, str, str, str]] = set()
    for f in range(n_files):
        chunk = ids[f * PER_FILE:(f + 1) * PER_FILE]
        lines = [f"# generated inventory file {f}", "systems:"]
        for sid in chunk:
            owner = _department(int(sid[4:]) // team)
            hub = hub_ids.get(sid)
            caps = hub[2] if hub else rng.sample(CAPABILITIES, rng.randint(1, 3))
            data = (CUSTOMER[:4] + ["product"] if hub else
                    rng.sample(CUSTOMER, rng.randint(0, 3)) + rng.sample(OTHER, rng.randint(0, 1)))
            name = f"{hub[1]} {sid[4:]}" if hub else f"{rng.choice(VENDORS)} {caps[0].replace('-', ' ')} {sid[4:]}"
            lines += [
                f"  - id: {sid}",
                f"    name: {name}",
                f"    vendor: {rng.choice(VENDORS)}",
                f"    owner: {owner}",
                f"    capabilities: [{', '.join(caps)}]",
                f"    data: [{', '.join(data)}]",
            ]
            if hub and hub[3]:
                lines.append(f"    roles: [{hub[3]}]")
            elif not hub:
                lines.append(f"    lifecycle: {rng.choice(LIFECYCLES)}")
            if rng.random() < 0.8:
                lines.append(f"    annual_cost: {rng.randint(1, 300) * 500}")
            lines.append(f"    it_reviewed: {'true' if reviews.random() < 0.9 else 'false'}")
        lines.append("flows:")
        for sid in chunk:
            count = int(flows_per_system) + (1 if rng.random() < flows_per_system % 1 else 0)
            for _ in range(count):
                r = rng.random()
                index = int(sid[4:])
                mates = ids[index - index % team:index - index % team + team]
                target = rng.choice(hubs) if r < 0.25 else rng.choice(mates) if r < 0.95 else rng.choice(ids)
                if target == sid:
                    continue
                source, target = (target, sid) if rng.random() < 0.3 else (sid, target)
                data = sorted(set(rng.sample(CUSTOMER + OTHER, rng.randint(1, 3))))
                mechanism = rng.choice(MECHANISMS)
                key = (source, target, mechanism, ",".join(data))
                if key in seen:
                    continue
                seen.add(key)
                lines += [f"  - from: {source}", f"    to: {target}", f"    data: [{', '.join(data)}]",
                          f"    mechanism: {mechanism}"]
        path = out_dir / f"team-{f:04d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def _department(index: int) -> str:
    base = DEPARTMENTS[index % len(DEPARTMENTS)]
    return base if index < len(DEPARTMENTS) else f"{base}-{index // len(DEPARTMENTS) + 1}"


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
