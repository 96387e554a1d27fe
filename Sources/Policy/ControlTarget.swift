/// The resource a control call is about, as plain values taken from the store.
public struct ControlTarget: Sendable, Equatable, Hashable {
    /// One resource above the target in its parent chain.
    public struct Ancestor: Sendable, Equatable, Hashable {
        public var id: String
        public var type: ResourceType
        public var name: String

        public init(id: String, type: ResourceType, name: String) {
            self.id = id
            self.type = type
            self.name = name
        }
    }

    /// Where the store's copy of a resource came from, which decides how an action reaches it.
    public enum Origin: String, Sendable, Equatable, Hashable {
        /// A snapshot ingested from a file: actions go to the agents and connections the snapshot names.
        case snapshot
        /// A Pulse sync: actions go through that Pulse server's action lifecycle (real Pulse agents
        /// take commands only from their server).
        case pulse
    }

    public var id: String
    public var type: ResourceType
    /// The owning platform's id as stored; resolved through the manifest, aliases included.
    public var platform: String
    public var name: String
    /// `running`, `stopped`, …; `nil` when the platform reports none.
    public var powerState: String?
    /// The parent chain, nearest first, so routing can walk up to the host.
    public var ancestors: [Ancestor]
    public var origin: Origin

    public init(
        id: String, type: ResourceType, platform: String, name: String, powerState: String? = nil,
        ancestors: [Ancestor] = [], origin: Origin = .snapshot
    ) {
        self.id = id
        self.type = type
        self.platform = platform
        self.name = name
        self.powerState = powerState
        self.ancestors = ancestors
        self.origin = origin
    }

    /// The target itself, then its ancestors nearest first: the order routing searches for a host.
    public var chain: [Ancestor] {
        [Ancestor(id: id, type: type, name: name)] + ancestors
    }
}
