extension DemoFleet {
    /// Every agent's and platform connection's endpoint, by its id, in snapshot order: where reference
    /// endpoints listen for the demo (`endpoint --demo`, `replay`). Only the sites' agents and
    /// connections are generated, not the rest of the fleet.
    package var controlEndpoints: [(id: String, endpoint: String)] {
        var endpoints: [(id: String, endpoint: String)] = []
        func collect(_ item: DemoFleetItem) {
            switch item.record {
            case .agent(let object), .connection(let object):
                if let id = object["id"]?.stringValue, let endpoint = object["endpoint"]?.stringValue {
                    endpoints.append((id, endpoint))
                }
            default:
                break
            }
        }
        for index in 0..<scale { site(index).agents(collect) }
        for index in 0..<scale { site(index).connections(collect) }
        return endpoints
    }
}
