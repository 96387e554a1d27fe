import JSON

/// The recovery points of a site: nightly PBS backups of most PVE guests, a few PVE snapshots,
/// and TrueNAS's daily ZFS snapshots of its pools.
///
/// Only platforms whose recovery surface is supported have any (PVE, PBS, TrueNAS); vSphere
/// snapshots are not a governed recovery surface in phase 1, so the estate has none.
extension DemoFleetSite {
    /// Nightly backups kept in the demo: today's and the two nights before.
    static let backupNights = 3

    func recoveryPoints(_ emit: (DemoFleetItem) throws -> Void) rethrows {
        let midnight = now.secondsSince1970 - now.secondsSince1970 % 86_400
        try forEachGuest { guest in
            var random = random(.backup, guest.vmid)
            if guest.backedUp {
                for night in 0..<Self.backupNights {
                    let at = midnight - Int64(night) * 86_400 + 2 * 3_600 + Int64(random.int(in: 0...3_000))
                    guard at <= now.secondsSince1970 else { continue }
                    // Last night's backups are not all verified yet; older ones are.
                    let verified = night > 0 || random.chance(0.7)
                    let size = Double(guest.load.diskUsed(at: at, now: now) ?? 0) * random.double(in: 0.35...0.6)
                    let kind = guest.isVM ? "vm" : "ct"
                    try emit(point(
                        id: "pbs/\(pbsName)/main/\(kind)/\(guest.vmid)/" + time.string(at),
                        resourceID: guest.id, platform: "proxmox-pbs", kind: "backup", at: at,
                        size: Int64(size), verified: verified))
                }
            }
            if guest.isVM, random.chance(0.15) {
                let daysAgo = Int64(random.int(in: 1...20))
                let at = now.secondsSince1970 - daysAgo * 86_400 - Int64(random.int(in: 0...80_000))
                try emit(point(
                    id: "pve/\(clusterName)/\(guest.vmid)/pre-upgrade", resourceID: guest.id, platform: "proxmox-pve",
                    kind: "snapshot", at: at, size: Int64(Double(guest.load.diskTotal ?? 0) * 0.02), verified: false))
            }
        }
        for pool in 0..<2 {
            let poolBytes = Double(poolLoad(pool).diskTotal ?? 0)
            for night in 0..<Self.backupNights {
                let at = midnight - Int64(night) * 86_400
                let day = time.string(at).prefix(10)
                try emit(point(
                    id: "zfs/\(nasName)/\(Self.poolNames[pool])@auto-\(day)", resourceID: poolID(pool),
                    platform: "truenas", kind: "snapshot", at: at,
                    size: Int64(poolBytes * 0.001 * Double(night + 1)), verified: false))
            }
        }
    }

    /// A snapshot is never "verified" (only PBS verifies, and only backups): `verified` is false there.
    private func point(
        id: String, resourceID: String, platform: String, kind: String, at: Int64, size: Int64, verified: Bool
    ) -> DemoFleetItem {
        .recoveryPoint(DemoFleetRecoveryPoint(
            id: id, resourceID: resourceID, platform: platform, kind: kind, at: at, sizeBytes: max(size, 1),
            verified: verified))
    }
}
