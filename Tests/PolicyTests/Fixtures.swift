import Foundation
import Testing

@testable import Policy

/// Shared test inputs: the shipped manifest, and small edits of it that each break one seed rule.
enum Fixtures {
    /// A change to a whole manifest, used to derive a broken manifest from the shipped one.
    typealias ManifestEdit = @Sendable (inout PlatformSupportManifest) -> Void

    /// The manifest bundled with `Policy`, read the way the CLI reads it (tests may do I/O).
    static func shippedManifest() throws -> PlatformSupportManifest {
        let url = try #require(PlatformSupportManifest.bundledResourceURL)
        return try PlatformSupportManifest.decode(Data(contentsOf: url))
    }

    /// The shipped manifest after `edit`.
    static func manifest(after edit: ManifestEdit) throws -> PlatformSupportManifest {
        var manifest = try shippedManifest()
        edit(&manifest)
        return manifest
    }

    /// An edit of the one row whose id is `id`; editing a missing row is a test bug, so it records an issue.
    static func edit(_ id: PlatformID, _ change: @escaping @Sendable (inout Platform) -> Void) -> ManifestEdit {
        { manifest in
            guard let index = manifest.platforms.firstIndex(where: { $0.id == id }) else {
                Issue.record("no platform \(id) in the shipped manifest")
                return
            }
            change(&manifest.platforms[index])
        }
    }

    /// An edit that appends a copy of the row `id`, changed by `change`.
    static func appendCopy(of id: PlatformID, _ change: @escaping @Sendable (inout Platform) -> Void) -> ManifestEdit {
        { manifest in
            guard var copy = manifest.platforms.first(where: { $0.id == id }) else {
                Issue.record("no platform \(id) in the shipped manifest")
                return
            }
            change(&copy)
            manifest.platforms.append(copy)
        }
    }

    /// UTF-8 bytes of a JSON literal.
    static func data(_ json: String) -> Data {
        Data(json.utf8)
    }
}
