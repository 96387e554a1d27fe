import Fleet
import JSON
import Policy
import ResourceStore

/// The store a server reads when it is given none: the demo fleet, generated
/// and ingested into memory, so that a newcomer sees real tool results.
package enum EmbeddedDemo {
    package static let seed: UInt64 = 1
    package static let scale = 1

    /// What `instructions` and tool output call it.
    package static func description(now: Timestamp) -> String {
        "the embedded demo fleet (generated, seed \(seed), scale \(scale), generatedAt \(now)); pass --store to read a real one"
    }

    /// Builds the in-memory demo store: generate, serialize as JSON Lines, ingest (validated like any snapshot).
    ///
    /// - Parameter now: the fleet's present, from the server's clock, so that its agents' heartbeats
    ///   are fresh when the server judges them (a replay fixes it; tests use ``DemoFleet/defaultNow``).
    ///   The endpoints' sockets are under `endpointDirectory`.
    package static func makeStore(
        manifest: PlatformSupportManifest, now: Timestamp = DemoFleet.defaultNow,
        endpointDirectory: String = DemoFleet.defaultEndpointDirectory
    ) throws -> ResourceStore {
        let store = try ResourceStore.inMemory()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 << 20)
        DemoFleet(seed: seed, scale: scale, now: now, endpointDirectory: endpointDirectory).records { record in
            JSONSerializer.append(record.jsonLine, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        try store.ingest(.bytes(bytes), manifest: manifest, now: now)
        return store
    }

    /// A provider that builds the demo store in the background.
    package static func provider(
        manifest: PlatformSupportManifest, now: Timestamp = DemoFleet.defaultNow,
        endpointDirectory: String = DemoFleet.defaultEndpointDirectory
    ) -> StoreProvider {
        StoreProvider(description: description(now: now)) {
            try makeStore(manifest: manifest, now: now, endpointDirectory: endpointDirectory)
        }
    }
}
