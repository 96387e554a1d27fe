/// A canonical platform id such as `proxmox-pve`, as written in the manifest.
///
/// The wrapped string is kept exactly as given, not lowercased, so that the governance lint can report an
/// id that breaks the lowercase rule. Names typed by people (aliases, other casings) become a `PlatformID`
/// only through ``init(resolving:in:)``, which goes through the manifest.
package struct PlatformID: RawRepresentable, Sendable, Hashable, Codable, Comparable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    package let rawValue: String

    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    package init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    package init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// Resolves an id or alias, case-insensitively, to the canonical id the manifest declares.
    ///
    /// `PlatformID(resolving: "PVE", in: manifest)` is `proxmox-pve`.
    /// - Throws: ``UnknownPlatformError`` listing the known ids and aliases when nothing matches.
    package init(resolving name: String, in manifest: PlatformSupportManifest) throws {
        self = try manifest.platform(resolving: name).id
    }

    package var description: String { rawValue }

    package static func < (lhs: PlatformID, rhs: PlatformID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    package init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
