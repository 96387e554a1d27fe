import JSONRPC
import Policy

/// `control_resource`: asks for a control action on a resource. The policy decides at call time from the
/// owning platform's assistant-control class; the action is then executed on the platform's own path,
/// routed to the augmenting Pulse agent, or refused, and recorded either way.
///
/// Under the read-only level it is not listed, and a call is refused (`control_disabled`) and recorded.
public struct ControlResourceTool: Tool {
    private let dispatcher: ActionDispatcher

    public init(dispatcher: ActionDispatcher) {
        self.dispatcher = dispatcher
    }

    public var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "control_resource",
            title: "Control resource",
            description: """
                Asks for a control action on one resource: start, stop, shutdown or reboot a VM or system container; \
                start, stop or restart an app container; restart or scale (replicas) a Kubernetes deployment; delete a \
                pod; reboot an agent host. The policy decides now from the owning platform's assistant-control class: \
                supported platforms execute on their own control path, augmentation-only platforms (Proxmox VE) are \
                routed to the Pulse agent on the resource's node, read-only and n/a platforms and unsupported platforms \
                are refused with the reason and what would change it. The route, the endpoint, the control level and \
                approval are the operator's, never arguments. Every call is recorded as an action (see \
                get_action_status); reusing an idempotencyKey returns the first action and never sends it twice. \
                dryRun shows the decision and changes nothing. Call explain_control first when unsure.
                """,
            inputSchema: Schema.arguments([
                ("resourceId", Schema.id("The resource id, e.g. vm/pve-a/101 (exact; find it with search_resources).")),
                ("action", Schema.string("The action; which ones a type takes is listed above.", enum: ControlAction.allCases.map(\.rawValue))),
                ("reason", ["type": "string", "minLength": 1, "maxLength": 1000, "description": "Why, in a sentence: recorded with the action and shown to the approving human."]),
                ("replicas", ["type": "integer", "minimum": 0, "maximum": 10_000, "description": "For scale: the desired replica count."]),
                ("idempotencyKey", ["type": "string", "minLength": 1, "maxLength": 200, "description": "A key of the caller's choosing; a retry with the same key returns the first action instead of acting again."]),
                ("dryRun", Schema.boolean("Decide and explain only: nothing is recorded or sent. Default false.")),
            ], required: ["resourceId", "action", "reason"]),
            outputSchema: ActionSchemas.action,
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false, openWorld: true)
        )
    }

    public func call(_ arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        try await dispatcher.run(try ControlRequest(arguments), context: context)
    }
}
