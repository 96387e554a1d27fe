import JSON
import ResourceStore

/// What every read tool needs: the store and the read gate.
package struct ReadServices: Sendable {
    package let stores: StoreProvider
    package let gate: ReadGate

    package init(stores: StoreProvider, gate: ReadGate) {
        self.stores = stores
        self.gate = gate
    }

    /// The store; a store that could not be built is an internal failure.
    func store() throws(ToolError) -> ResourceStore {
        do {
            return try stores.store()
        } catch {
            throw .internalFailure("the resource store is unavailable: \(error.message)")
        }
    }

    /// Runs `body`'s queries in one read transaction, turning database failures into internal failures.
    func read<T>(_ body: (StoreReader) throws -> T) throws(ToolError) -> T {
        let store = try store()
        do {
            return try store.read(body)
        } catch {
            throw .internalFailure("reading the resource store failed: \(error)")
        }
    }

    /// The resource with `id`, readable under the gate.
    ///
    /// - Throws: a rejection naming the closest ids and names when there is
    ///   no such resource, or saying plainly that its platform is not
    ///   supported when it is hidden.
    func resource(id: String, includeUnsupported: Bool) throws(ToolError) -> ResourceRow {
        try resource(id: id, includeUnsupported: includeUnsupported) { _, _ in () }.row
    }

    /// The resource with `id`, readable under the gate, and what `body` reads about it in the same
    /// read transaction (`body` runs only for a resource the caller may see).
    func resource<T>(
        id: String, includeUnsupported: Bool, with body: (ResourceRow, StoreReader) throws -> T
    ) throws(ToolError) -> (row: ResourceRow, facts: T) {
        let found = try read { reader -> (ResourceRow, T?)? in
            guard let row = try reader.resource(id: id) else { return nil }
            guard includeUnsupported || !gate.isHidden(row.platform) else { return (row, nil) }
            return (row, try body(row, reader))
        }
        guard let (row, facts) = found else { throw .rejected(try notFound(id, includeUnsupported: includeUnsupported)) }
        guard let facts else { throw .rejected(gate.refusal(for: row)) }
        return (row, facts)
    }

    /// "No resource has id X" with the closest matches the caller may have meant.
    func notFound(_ text: String, includeUnsupported: Bool) throws(ToolError) -> String {
        "No resource has id \"\(text.prefix(200))\"." + (try closestHint(text, includeUnsupported: includeUnsupported))
    }

    /// " Closest: a (vm "web-01" on proxmox-pve), ..." or a pointer to search_resources.
    ///
    /// The hint passes the same gate as a listing: resources of hidden platforms are left out, and with
    /// `includeUnsupported` each is labelled as unsupported.
    func closestHint(_ text: String, includeUnsupported: Bool) throws(ToolError) -> String {
        let hidden = gate.hidden(includeUnsupported: includeUnsupported)
        let closest = try read { try $0.closestResources(to: text, excludingPlatforms: hidden) }
        guard !closest.isEmpty else { return " Use search_resources to find resources by name, type or platform." }
        return " Closest: " + closest.map { "\($0.id) (\($0.type) \"\($0.name)\" on \($0.platform)\(gate.standing(ofPlatform: $0.platform)))" }
            .joined(separator: ", ") + "."
    }
}
