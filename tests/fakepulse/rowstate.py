"""Row-level edits that faults and churn apply on top of a built row."""

from __future__ import annotations

RENAME_PREFIXES = ["api-", "cache-", "db-", "web-", "worker-", "grafana-", "nginx-", "redis-", "ct-dns-", "srv-", "zz-moved-"]

# malformedRow modes: the field and the wrong-typed value a broken Pulse (or a bug) might send.
MALFORMED = {
    "name": ("name", 42),
    "status": ("status", {}),
    "type": ("type", ["vm"]),
    "lastSeen": ("lastSeen", "yesterday"),
    "metrics": ("metrics", "n/a"),
    "capabilities": ("capabilities", "all"),
    "id": ("id", None),
}


def rename_for(base_name: str, version: int, roll: int) -> str:
    """A new name under another prefix, so the row moves to another part of the name order."""
    prefix = RENAME_PREFIXES[(roll >> 16) % len(RENAME_PREFIXES)]
    slug = base_name.lower().replace(" ", "-")
    return f"{prefix}{slug}-r{version}"


def apply_malformed(row: dict, mode: str) -> dict:
    field, value = MALFORMED.get(mode, MALFORMED["name"])
    out = dict(row)
    if value is None:
        out.pop(field, None)
    else:
        out[field] = value
    return out
