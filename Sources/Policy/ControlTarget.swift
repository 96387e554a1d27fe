/// The resource a control call is about, as plain values taken from the store.
package struct ControlTarget: Sendable, Equatable, Hashable {
    /// One resource above the target in its parent chain.
    package struct Ancestor: Sendable, Equatable, Hashable {
        package var id: String
        package var type: ResourceType
        package var name: String

        package init(id: String, type: ResourceType, name: String) {
            self.id = id
            self.type = type
            self.name = name
        }
    }

    /// Where the store's copy of a resource came from, which decides how an action reaches it.
    package enum Origin: String, Sendable, Equatable, Hashable {
        /// A snapshot ingested from a file: actions go to the agents and connections the snapshot names.
        case snapshot
        /// A Pulse sync: actions go through that Pulse server's action lifecycle (real Pulse agents
        /// take commands only from their server).
        case pulse
    }

    package var id: String
    package var type: ResourceType
    /// The owning platform's id as stored; resolved through the manifest, aliases included.
    package var platform: String
    package var name: String
    /// `running`, `stopped`, …; `nil` when the platform reports none.
    package var powerState: String?
    /// The parent chain, nearest first, so routing can walk up to the host.
    package var ancestors: [Ancestor]
    package var origin: Origin

    package init(
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
    package var chain: [Ancestor] {
        [Ancestor(id: id, type: type, name: name)] + ancestors
    }
}
