"""Generate realistic synthetic inventories for benchmarks: ``python bench/generate.py N OUT_DIR``.

Systems have owners, vendors, capabilities, data categories, costs and lifecycles; there are about
4.5 flows per system, mostly within a team's file and towards a few hubs (a CRM as system of record,
a CDP, a warehouse), split over files of 50 systems each. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

OWNERS = ["marketing", "marketing-ops", "sales-ops", "it", "data", "digital", "ecommerce",
          "customer-service", "events", "communications", "finance", "performance-marketing"]
CAPABILITIES = ["email-marketing", "marketing-automation", "web-analytics", "cms", "social-publishing",
                "paid-search", "paid-social", "forms", "surveys", "experimentation", "support", "live-chat",
                "event-management", "seo", "tag-management", "data-pipeline", "reverse-etl", "loyalty",
                "reviews", "design", "dam", "personalization", "sms", "push", "webinars"]
CUSTOMER = ["contact", "account", "lead", "behavioral", "transactional", "consent", "support-case"]
OTHER = ["content", "ad-performance", "product", "financial"]
MECHANISMS = ["api", "batch", "file", "stream", "webhook", "ipaas", "manual"]
LIFECYCLES = ["active"] * 16 + ["planned", "retiring", "retired"]
PER_FILE = 50


def generate(n_systems: int, out_dir: Path, seed: int = 1, flows_per_system: float = 4.5) -> list[Path]:
    """Write an inventory of ``n_systems`` systems under ``out_dir``; return the files written."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = [f"sys-{i:06d}" for i in range(n_systems)]
    hubs = ids[: max(1, n_systems // 500)]
    n_files = max(1, (n_systems + PER_FILE - 1) // PER_FILE)
    files: list[Path] = []
    seen: set[tuple[str, str, str, str]] = set()
    for f in range(n_files):
        chunk = ids[f * PER_FILE:(f + 1) * PER_FILE]
        owner = OWNERS[f % len(OWNERS)]
        lines = [f"# Team {f}: generated inventory file", "systems:"]
        for sid in chunk:
            i = int(sid[4:])
            caps = rng.sample(CAPABILITIES, rng.randint(1, 3))
            data = rng.sample(CUSTOMER, rng.randint(0, 3)) + rng.sample(OTHER, rng.randint(0, 1))
            lines += [
                f"  - id: {sid}",
                f"    name: System {i} ({owner})",
                f"    vendor: Vendor {rng.randint(1, 400)}",
                f"    owner: {owner}",
                f"    capabilities: [{', '.join(caps)}]",
                f"    data: [{', '.join(data)}]",
            ]
            if sid in hubs:
                lines.append("    roles: [system-of-record]")
            else:
                lines.append(f"    lifecycle: {rng.choice(LIFECYCLES)}")
            if rng.random() < 0.8:
                lines.append(f"    annual_cost: {rng.randint(1, 300) * 500}")
            lines.append(f"    it_reviewed: {'true' if rng.random() < 0.7 else 'false'}")
        lines.append("flows:")
        for sid in chunk:
            n = int(flows_per_system) + (1 if rng.random() < flows_per_system % 1 else 0)
            for _ in range(n):
                r = rng.random()
                if r < 0.25:
                    target = rng.choice(hubs)
                elif r < 0.8:
                    target = rng.choice(chunk)
                else:
                    target = rng.choice(ids)
                if target == sid:
                    continue
                data = sorted(set(rng.sample(CUSTOMER + OTHER, rng.randint(1, 2))))
                mech = rng.choice(MECHANISMS)
                key = (sid, target, mech, ",".join(data))
                if key in seen:
                    continue
                seen.add(key)
                lines += [f"  - from: {sid}", f"    to: {target}", f"    data: [{', '.join(data)}]",
                          f"    mechanism: {mech}"]
        path = out_dir / f"team-{f:04d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
