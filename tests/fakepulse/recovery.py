"""`GET /api/recovery/points` (`recovery_handlers.go` `HandleListPoints`).

Pulse's paging quirk is kept: the store clamps `limit` (≤0 → 100, >500 → 500) but `meta`
echoes the requested value and computes `totalPages` from it (1 when limit ≤ 0). Points are
newest first (`ORDER BY completed_at DESC`). The generated fleet backs up every fifth guest:
point i belongs to a computed guest and is i·37 s older than point i-1, so a page is built
without listing the others.
"""

from __future__ import annotations

import gojson
from common import hexdigest


def normalise_paging(page: int, limit: int) -> tuple[int, int]:
    store_limit = 100 if limit <= 0 else min(limit, 500)
    return (page if page > 0 else 1), store_limit


def response(points: list[dict], page: int, raw_limit: int, total: int) -> bytes:
    total_pages = 1 if raw_limit <= 0 else (total + raw_limit - 1) // raw_limit
    return gojson.marshal({"data": points, "meta": {"page": page, "limit": raw_limit, "total": total, "totalPages": total_pages}})


class GeneratedRecovery:
    def __init__(self, fleet):
        self.f = fleet
        self.off = fleet.seed % 5
        self.vm_points = max(0, (fleet.counts["vm"] - self.off + 4) // 5)
        self.ct_points = max(0, (fleet.counts["ct"] - self.off + 4) // 5)
        self.total = self.vm_points + self.ct_points
        self.has_pbs = fleet.counts["pbs"] > 0

    def point(self, i: int) -> dict:
        f = self.f
        kind, k = ("vm", self.off + 5 * i) if i < self.vm_points else ("ct", self.off + 5 * (i - self.vm_points))
        info = f.node_info(f.node_of_guest(kind, k))
        vmid = f.vmid(kind, k)
        rid = f.id_of(kind, k)
        itype = "vm" if kind == "vm" else "system-container"
        backup = self.has_pbs and k % 2 == 0
        platform = "proxmox-pbs" if backup else "proxmox-pve"
        completed = -3600 - 37 * i
        failed = f.r(kind, k, 60) % 30 == 0
        out = {"id": "rp-" + hexdigest(f"{f.seed}/{kind}/{k}/rp", 16), "platform": platform, "provider": platform,
               "kind": "backup" if backup else "snapshot", "mode": "remote" if backup else "snapshot",
               "outcome": "failed" if failed else "success"}
        if backup:
            out["startedAt"] = f.clock.at(completed - 40)
        out["completedAt"] = f.clock.at(completed)
        if backup:
            out["sizeBytes"] = (1 + f.r(kind, k, 61) % 64) * (1 << 30)
            out["verified"] = not failed
            out["encrypted"] = False
        out["itemResourceId"] = rid
        out["subjectResourceId"] = rid
        if backup:
            out["repositoryResourceId"] = f.id_of("pbs", 0)
            out["details"] = {"datastore": "tank-backups", "backupType": "vm" if kind == "vm" else "ct", "backupId": str(vmid)}
        else:
            out["details"] = {"snapshotName": f"auto-{i % 7}"}
        display = {"subjectLabel": f.name_of(kind, k), "subjectType": itype, "itemType": itype, "isWorkload": True,
                   "clusterLabel": info.cluster, "nodeHostLabel": info.name, "entityIdLabel": str(vmid)}
        if backup:
            display["repositoryLabel"] = f"{f.name_of('pbs', 0)}:tank-backups"
        out["display"] = display
        return out

    def page(self, raw_page: int, raw_limit: int) -> bytes:
        page, limit = normalise_paging(raw_page, raw_limit)
        start = (page - 1) * limit
        points = [self.point(i) for i in range(start, min(self.total, start + limit))] if start < self.total else []
        return response(points, raw_page, raw_limit, self.total)


class ListRecovery:
    """The fixture's points, paged by the same rules."""

    def __init__(self, points: list[dict]):
        self.points = points

    def page(self, raw_page: int, raw_limit: int) -> bytes:
        page, limit = normalise_paging(raw_page, raw_limit)
        start = (page - 1) * limit
        return response(self.points[start:start + limit], raw_page, raw_limit, len(self.points))
