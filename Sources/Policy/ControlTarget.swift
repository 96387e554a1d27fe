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

    public var id: String
    public var type: ResourceType
    /// The owning platform's id as stored; resolved through the manifest, aliases included.
    public var platform: String
    public var name: String
    /// `running`, `stopped`, …; `nil` when the platform reports none.
    public var powerState: String?
    /// The parent chain, nearest first, so routing can walk up to the host.
    public var ancestors: [Ancestor]

    public init(
        id: String, type: ResourceType, platform: String, name: String, powerState: String? = nil,
        ancestors: [Ancestor] = []
    ) {
        self.id = id
        self.type = type
        self.platform = platform
        self.name = name
        self.powerState = powerState
        self.ancestors = ancestors
    }

    /// The target itself, then its ancestors nearest first: the order routing searches for a host.
    public var chain: [Ancestor] {
        [Ancestor(id: id, type: type, name: name)] + ancestors
    }
}
