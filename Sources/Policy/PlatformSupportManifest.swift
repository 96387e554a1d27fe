import Foundation

/// The machine-readable projection of the seed's platform support model: every supported, admitted and
/// presentation-only platform id, in the order the seed lists them.
///
/// `Policy` does no I/O. The bundled copy is found through ``bundledResourceURL``; the caller reads the
/// bytes and hands them to ``decode(_:)``:
///
/// ```swift
/// let manifest = try PlatformSupportManifest.bundled { try Data(contentsOf: $0) }
/// ```
package struct PlatformSupportManifest: Sendable, Codable, Hashable {
    /// The manifest format version.
    package var manifestVersion: Int?
    /// Which governed document this manifest projects.
    package var source: String?
    /// The source document's "Last updated" date, e.g. `2026-03-31`.
    package var sourceLastUpdated: String?
    /// Every platform row, in manifest order (the order every listing and rendering keeps).
    package var platforms: [Platform]

    package init(
        manifestVersion: Int? = nil, source: String? = nil, sourceLastUpdated: String? = nil,
        platforms: [Platform]
    ) {
        self.manifestVersion = manifestVersion
        self.source = source
        self.sourceLastUpdated = sourceLastUpdated
        self.platforms = platforms
    }

    // MARK: - Loading

    /// The manifest bundled with `Policy` (`platform-support.json`), `nil` if the bundle lacks it.
    package static var bundledResourceURL: URL? {
        Bundle.module.url(forResource: "platform-support", withExtension: "json")
    }

    /// Decodes a manifest from JSON bytes.
    ///
    /// Unknown support values and projections decode (the governance lint reports them); anything
    /// structurally wrong — not JSON, not an object, no `platforms`, a misspelt governance state — throws.
    /// - Throws: ``ManifestDecodingError`` naming the JSON path, e.g. `platforms[3].governance`.
    package static func decode(_ data: Data) throws -> PlatformSupportManifest {
        do {
            return try JSONDecoder().decode(PlatformSupportManifest.self, from: data)
        } catch let error as DecodingError {
            throw ManifestDecodingError(error)
        } catch {
            throw ManifestDecodingError(path: "", reason: "not valid JSON (\(error))")
        }
    }

    /// Decodes the bundled manifest, reading its bytes through `read` so that `Policy` stays free of I/O.
    /// - Throws: ``ManifestDecodingError`` when the resource is missing or malformed, or what `read` throws.
    package static func bundled(
        reading read: (URL) throws -> Data
    ) throws -> PlatformSupportManifest {
        guard let url = bundledResourceURL else {
            throw ManifestDecodingError(path: "", reason: "platform-support.json is missing from the Policy bundle")
        }
        return try decode(read(url))
    }

    // MARK: - Encoding

    /// The manifest as pretty-printed JSON with sorted keys, stable for diffs and golden files.
    package func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
