import JSON
import JSONRPC

/// One control action as sent to an endpoint in `control.execute`.
package struct EndpointRequest: Sendable, Equatable {
    /// The action row's id in the assistant's store.
    package var actionId: String
    /// The canonical id of the resource to act on (`vm/pve-a/101`).
    package var resourceId: String
    /// The action's name (`start`, `stop`, `scale`, …).
    package var action: String
    package var params: JSONObject
    /// The same key never applies twice: an endpoint that has seen it answers what it answered then.
    /// The assistant sends ``wireKey(callerKey:actionId:)``, never a caller's key as it is.
    package var idempotencyKey: String
    /// How long the endpoint has to apply the action; the client waits this long plus ``ControlProtocol/answerGrace``.
    package var deadlineMilliseconds: Int

    package init(
        actionId: String,
        resourceId: String,
        action: String,
        params: JSONObject = [:],
        idempotencyKey: String,
        deadlineMilliseconds: Int
    ) {
        self.actionId = actionId
        self.resourceId = resourceId
        self.action = action
        self.params = params
        self.idempotencyKey = idempotencyKey
        self.deadlineMilliseconds = deadlineMilliseconds
    }
}

// MARK: - Wire form

extension EndpointRequest {
    /// The idempotency key an endpoint gets: `key:` and the caller's key, or `action:` and the action
    /// id for a call without one.
    ///
    /// The two namespaces never meet, so a caller whose key equals an earlier keyless action's id (or
    /// any other action's key) cannot be answered with that action's result as a replay.
    package static func wireKey(callerKey: String?, actionId: String) -> String {
        callerKey.map { "key:" + $0 } ?? "action:" + actionId
    }
}

extension EndpointRequest {
    /// The `control.execute` params.
    var wireParams: JSONValue {
        [
            "actionId": .string(actionId),
            "resourceId": .string(resourceId),
            "action": .string(action),
            "params": .object(params),
            "idempotencyKey": .string(idempotencyKey),
            "deadlineMs": JSONValue(deadlineMilliseconds),
        ]
    }

    /// Reads `control.execute` params strictly: every field present with its type.
    ///
    /// - Throws: an invalid-params error (-32602) naming the first wrong field.
    init(wireParams value: JSONValue?) throws(JSONRPCError) {
        guard let object = value?.objectValue else {
            throw .invalidParams("control.execute needs an object of params")
        }
        func string(_ key: String) throws(JSONRPCError) -> String {
            guard let field = object[key] else { throw .invalidParams("missing \"\(key)\"") }
            guard case .string(let text) = field, !text.isEmpty else {
                throw .invalidParams("\"\(key)\" must be a non-empty string, got \(field.typeName)")
            }
            return text
        }
        let actionId = try string("actionId")
        let resourceId = try string("resourceId")
        let action = try string("action")
        let idempotencyKey = try string("idempotencyKey")
        guard let params = object["params"] else { throw .invalidParams("missing \"params\"") }
        guard case .object(let actionParams) = params else {
            throw .invalidParams("\"params\" must be an object, got \(params.typeName)")
        }
        guard let deadline = object["deadlineMs"] else { throw .invalidParams("missing \"deadlineMs\"") }
        guard case .integer(let milliseconds) = deadline, milliseconds >= 0, milliseconds <= Int64(Int32.max) else {
            throw .invalidParams("\"deadlineMs\" must be an integer from 0 to \(Int32.max), got \(deadline)")
        }
        self.init(
            actionId: actionId,
            resourceId: resourceId,
            action: action,
            params: actionParams,
            idempotencyKey: idempotencyKey,
            deadlineMilliseconds: Int(milliseconds)
        )
    }
}
