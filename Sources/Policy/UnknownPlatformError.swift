/// A name that is neither a platform id nor an alias in the manifest.
///
/// It lists every known id (and alias) because the usual cause is a typo or a runtime variant (`podman`
/// instead of `docker`), and the fix is to pick from the list.
package struct UnknownPlatformError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name that was asked for, as given.
    package var name: String
    /// Every canonical id, in manifest order.
    package var knownIDs: [PlatformID]
    /// Every alias, in manifest order.
    package var knownAliases: [String]

    package init(name: String, knownIDs: [PlatformID], knownAliases: [String]) {
        self.name = name
        self.knownIDs = knownIDs
        self.knownAliases = knownAliases
    }

    package var description: String {
        let ids = knownIDs.map(\.rawValue).joined(separator: ", ")
        let aliases = knownAliases.isEmpty ? "" : "; aliases: \(knownAliases.joined(separator: ", "))"
        return "unknown platform \"\(name)\"; known platforms: \(ids)\(aliases)"
    }
}
