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
                Returns an earlier control action, by actionId or by the idempotencyKey it was asked with: its state \
                (refused; planned, dispatched, completed, failed or unknown), the policy's decision, the route, the \
                approval, what the endpoint reported, and when each step happened. unknown means the request reached \
                the endpoint but no answer came back: read the resource again before asking once more.
                """,
            inputSchema: Schema.object([
                ("actionId", Schema.string("The actionId control_resource returned.")),
                ("idempotencyKey", Schema.string("The idempotencyKey the action was asked with.")),
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
        default:
            throw .rejected("Give exactly one of actionId or idempotencyKey.")
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
