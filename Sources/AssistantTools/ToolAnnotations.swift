import JSON

/// The behaviour hints a client shows its user before a tool runs.
///
/// Every tool sets all four explicitly (house rule 4). A tool that does not
/// say it is read-only is treated as writing (fail closed).
package struct ToolAnnotations: Sendable, Equatable {
    package var readOnly: Bool
    package var destructive: Bool
    package var idempotent: Bool
    package var openWorld: Bool

    package init(readOnly: Bool, destructive: Bool, idempotent: Bool, openWorld: Bool) {
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.openWorld = openWorld
    }

    /// A tool that only reads the store: never changes anything, same answer for the same data.
    package static let read = ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false)

    func jsonValue(title: String?) -> JSONValue {
        var object = JSONObject()
        object.setIfPresent("title", title.map(JSONValue.string))
        object["readOnlyHint"] = .bool(readOnly)
        object["destructiveHint"] = .bool(destructive)
        object["idempotentHint"] = .bool(idempotent)
        object["openWorldHint"] = .bool(openWorld)
        return .object(object)
    }
}
