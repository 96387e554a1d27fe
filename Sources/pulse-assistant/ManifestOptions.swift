import ArgumentParser
import ControlEndpoints
import Foundation
import Policy

/// `--manifest PATH`: which platform support model to use.
struct ManifestOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A platform-support.json to use instead of the bundled one (e.g. a draft model).",
            valueName: "path"
        )
    )
    var manifest: String?

    /// Where the manifest comes from, as `instructions` and messages say it.
    var source: String {
        manifest ?? "bundled platform-support.json"
    }

    /// Reads and decodes the manifest.
    ///
    /// - Throws: a ``CommandFailure`` that names the file and the JSON path of the problem.
    func load() throws -> PlatformSupportManifest {
        do {
            if let manifest {
                let data = Data(try BoundedFile.read(manifest, limit: 16 << 20))
                return try PlatformSupportManifest.decode(data)
            }
            return try PlatformSupportManifest.bundled { try Data(contentsOf: $0) }
        } catch let error as CommandFailure {
            throw CommandFailure("cannot read the platform support model \(source): \(error)")
        } catch let error as ManifestDecodingError {
            throw CommandFailure("cannot read the platform support model \(source): \(error)")
        } catch {
            throw CommandFailure("cannot read the platform support model \(source): \(error.localizedDescription)")
        }
    }
}
