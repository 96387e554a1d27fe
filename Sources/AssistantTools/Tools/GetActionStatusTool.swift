import JSONRPC
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
        if let settler {
            try settler.settle(try services.store())
        }
        switch (arguments.string("actionId"), arguments.string("idempotencyKey")) {
        case (let id?, nil):
            guard let action = try services.read({ try $0.action(id: id) }) else {
                throw .rejected("No control action has id \"\(id.prefix(200))\". Action ids come from control_resource (act-…).")
            }
            return action.json()
        case (nil, let key?):
            guard let action = try services.read({ try $0.action(idempotencyKey: key) }) else {
                throw .rejected("No control action was asked with idempotencyKey \"\(key.prefix(200))\".")
            }
            return action.json()
        default:
            throw .rejected("Give exactly one of actionId or idempotencyKey.")
        }
    }
}
