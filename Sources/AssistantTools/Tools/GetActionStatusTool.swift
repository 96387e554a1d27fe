import JSON
import ResourceStore

/// `get_action_status`: the state of an earlier control action, by id or by idempotency key.
public struct GetActionStatusTool: InlineTool {
    private let services: ReadServices
    /// Ends actions a stopped server left unfinished before one is read; nil reads rows as they are.
    private let settler: ActionSettler?

    /// - Parameter evaluator: the control settings and clock by which stale actions are settled.
    public init(services: ReadServices, evaluator: ControlEvaluator? = nil) {
        self.services = services
        self.settler = evaluator.map { ActionSettler(settings: $0.settings, clock: $0.clock) }
    }

    public var descriptor: ToolDescriptor {
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
            annotations: .read
        )
    }

    public func respond(_ object: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
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
        return action.json()
    }
}
