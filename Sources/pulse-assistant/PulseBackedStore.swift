import AssistantTools
import Fleet
import Logging
import Policy
import PulseClient
import ResourceStore

/// What `serve --pulse-url` serves from: a store (a file, or memory) that a ``FleetSyncLoop`` keeps in
/// step with the Pulse server, its freshness, Pulse's metric history for `get_metrics`, and its action
/// lifecycle for the `pulse` control route (the same client, token and organisation).
struct PulseBackedStore {
    let stores: StoreProvider
    /// The `pulse` route's Pulse server.
    let connection: PulseConnection
    private let loop: FleetSyncLoop
    private let client: PulseHTTPClient
    private let actions: PulseActions

    /// How long the first tool call waits for the first sync, at most: then it answers from the store
    /// as it is and says so.
    static let firstSyncWait: Duration = .seconds(15)

    init(
        configuration: PulseConfiguration, path: String?, interval: Duration, manifest: PlatformSupportManifest,
        clock: ServerClock, executeDeadline: Duration = .seconds(180), logger: Logger
    ) throws {
        do {
            client = try PulseHTTPClient(configuration: configuration, logger: logger)
            actions = try PulseActions(client: client, executeDeadline: executeDeadline, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        connection = PulseConnection(server: .init(endpoint: client.configuration.baseURL), lifecycle: actions)
        let store: ResourceStore
        do {
            store = try path.map { try ResourceStore.open(path: $0) } ?? ResourceStore.inMemory()
        } catch {
            throw CommandFailure("\(error)")
        }
        let source = PulseFleetSource(client: client, manifest: manifest, logger: logger)
        let freshness = DataFreshness(
            source: source.description, interval: interval, firstSyncWait: min(Self.firstSyncWait, interval * 2), clock: clock
        )
        stores = StoreProvider(
            store, description: path.map { "the store at \($0)" } ?? "in memory", freshness: freshness,
            metricHistory: MetricHistoryCache(source: source, lifetime: interval, clock: clock)
        )
        loop = FleetSyncLoop(source: source, store: store, manifest: manifest, freshness: freshness, clock: clock, logger: logger)
    }

    /// Starts syncing: now, then every interval.
    func start() -> Task<Void, Never> {
        loop.start()
    }

    func shutdown() async {
        await actions.shutdown()
        await client.shutdown()
    }
}
