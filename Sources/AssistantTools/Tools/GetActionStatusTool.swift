import JSONRPC
import ResourceStore

/// `get_action_status`: the state of an earlier control action, by id or by idempotency key.
public struct GetActionStatusTool: InlineTool {
    private let services: ReadServices

    public init(services: ReadServices) {
        self.services = services
    }

    public var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_action_status",
            title: "Get action status",
            description: """
                Returns an earlier control action, by actionId or by the idempotencyKey it was asked with (give one of the two): its state \
                (refused; planned, dispatched, completed, failed or unknown), the policy's decision, the route, the \
                approval, what the endpoint reported, and when each step happened. unknown means the request reached \
                the endpoint but no answer came back: read the resource again before asking once more.
                """,
            inputSchema: Schema.arguments([
                ("actionId", Schema.id("The actionId control_resource returned. Give actionId or idempotencyKey.")),
                ("idempotencyKey", Schema.text("The idempotencyKey the action was asked with. Give actionId or idempotencyKey.", maxLength: 200)),
            ]),
            outputSchema: ActionSchemas.action,
            annotations: .read
        )
    }

    public func respond(_ object: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
        let arguments = Arguments(object)
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
        case (nil, nil):
            throw .rejected("get_action_status needs the action: pass actionId (the act-… id control_resource returned) or idempotencyKey (the key it was asked with).")
        case (_?, _?):
            throw .rejected("Give only one of actionId or idempotencyKey, not both.")
        }
    }
}
