import ArgumentParser
import AssistantTools
import Fleet
import Policy
import ResourceStore

/// `--store PATH`: the resource store to read; the embedded demo fleet without it.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite store to read (made by `ingest`); without it, the embedded demo fleet.", valueName: "path"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("The directory of the embedded demo fleet's endpoint sockets (default /tmp/pulse-demo).", valueName: "dir"))
    var demoEndpoints: String = DemoFleet.defaultEndpointDirectory

    /// The store, or the demo fleet built in the background as of `now`.
    ///
    /// A file store is opened for writing: control actions are recorded in it (an ingest never touches
    /// them), and an older store is migrated on open.
    func provider(manifest: PlatformSupportManifest, now: Timestamp) throws -> StoreProvider {
        guard let store else { return EmbeddedDemo.provider(manifest: manifest, now: now, endpointDirectory: demoEndpoints) }
        do {
            return StoreProvider(try ResourceStore.open(path: store), description: "the store at \(store)")
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
