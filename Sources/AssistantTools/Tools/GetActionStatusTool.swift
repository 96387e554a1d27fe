import ControlEndpoints
import JSON
import ResourceStore

/// `get_action_status`: the state of an earlier control action, by id or by idempotency key.
///
/// An action on the `pulse` route that is still open here, or ended `unknown`, is read through to
/// Pulse (`GET /api/actions/{id}`) first, so it is settled as soon as Pulse knows how it ended. With a
/// Pulse server configured the tool is therefore open-world and runs as a task, not inline.
package struct GetActionStatusTool: InlineTool {
    private let services: ReadServices
    /// Ends actions a stopped server left unfinished before one is read; nil reads rows as they are.
    private let settler: ActionSettler?
    /// Reads open `pulse` actions through to Pulse; nil without a Pulse server.
    private let reconciler: PulseReconciler?

    /// - Parameters:
    ///   - evaluator: the control settings and clock by which stale actions are settled.
    ///   - pulse: the Pulse server open `pulse` actions are read through to.
    package init(services: ReadServices, evaluator: ControlEvaluator? = nil, pulse: PulseConnection? = nil, secrets: KnownSecrets = KnownSecrets()) {
        self.services = services
        self.settler = evaluator.map { ActionSettler(settings: $0.settings, clock: $0.clock) }
        if let pulse, let evaluator {
            reconciler = PulseReconciler(lifecycle: pulse.lifecycle, settings: evaluator.settings, clock: evaluator.clock, masker: secrets.masker)
        } else {
            reconciler = nil
        }
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_action_status",
            title: "Get action status",
            description: """
                Returns an earlier control action, by actionId or by the idempotencyKey it was asked with (give one of the \
                two): its state (refused; planned, dispatched, completed, failed or unknown), the decision, route and \
                approval, what the endpoint reported, and when. unknown means the endpoint got the request but no answer \
                came back: read the resource before asking again.
                """,
            inputSchema: Schema.arguments([
                ("actionId", Schema.id("The actionId control_resource returned; or give idempotencyKey.")),
                ("idempotencyKey", Schema.text("The key the action was asked with; or give actionId.", maxLength: 200)),
            ]),
            outputSchema: ActionSchemas.action,
            annotations: reconciler == nil ? .read : ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: true)
        )
    }

    package func call(_ arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        let (action, json) = try lookUp(arguments)
        guard let reconciler, action.pulse != nil, action.state == .dispatched || action.state == .unknown else { return json }
        return await reconciler.reconcile(action, store: try services.store()).json()
    }

    package func respond(_ object: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
        try lookUp(object).json
    }

    /// The action the arguments name, stale ones settled first, and its JSON.
    private func lookUp(_ object: JSONObject) throws(ToolError) -> (ActionRecord, json: JSONValue) {
        let arguments = Arguments(object)
        let find: @Sendable (StoreReader) throws -> ActionRecord?
        let missing: String
        switch (arguments.string("actionId"), arguments.string("idempotencyKey")) {
        case (let id?, nil):
            find = { try $0.action(id: id) }
            missing = "No control action has id \"\(id.prefix(200))\". Action ids come from control_resource (act-…)."
        case (nil, let key?):
            find = { try $0.action(idempotencyKey: key) }
            missing = "No control action was asked with idempotencyKey \"\(key.prefix(200))\"."
        case (nil, nil):
            throw .rejected("get_action_status needs the action: pass actionId (the act-… id control_resource returned) or idempotencyKey (the key it was asked with).")
        case (_?, _?):
            throw .rejected("Give only one of actionId or idempotencyKey, not both.")
        }
        guard var action = try services.read(find) else { throw .rejected(missing) }
        // Only an unfinished action can be stale: a read of a final one writes nothing.
        if !action.state.isFinal, let settler {
            try settler.settle(try services.store())
            action = try services.read(find) ?? action
        }
        return (action, action.json())
    }
}
