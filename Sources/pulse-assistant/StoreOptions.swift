import ArgumentParser
import AssistantTools
import Policy
import ResourceStore

/// `--store PATH`: the resource store to read; the embedded demo fleet without it.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite store to read (made by `ingest`); without it, the embedded demo fleet.", valueName: "path"))
    var store: String?

    /// The store, opened read-only, or the demo fleet built in the background.
    func provider(manifest: PlatformSupportManifest) throws -> StoreProvider {
        guard let store else { return EmbeddedDemo.provider(manifest: manifest) }
        do {
            return StoreProvider(try ResourceStore.open(path: store, readOnly: true), description: "the store at \(store)")
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
