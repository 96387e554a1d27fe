import JSON
import Policy

/// `control_resource`: asks for a control action on a resource. The policy decides at call time from the
/// owning platform's assistant-control class; the action is then executed on the platform's own path,
/// routed to the augmenting Pulse agent, or refused, and recorded either way.
///
/// Under the read-only level it is not listed, and a call is refused (`control_disabled`) and recorded.
package struct ControlResourceTool: Tool {
    private let dispatcher: ActionDispatcher

    package init(dispatcher: ActionDispatcher) {
        self.dispatcher = dispatcher
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "control_resource",
            title: "Control resource",
            description: """
                Asks for a control action on one resource: start, stop, shutdown, reboot (VM, system container); start, \
                stop, restart, update (app container); restart, scale (Kubernetes deployment); delete (pod); reboot, \
                install_os_updates, clean_package_cache (agent host). The policy decides now from the platform's \
                assistant-control class: execute, route to the Pulse agent on the resource's node (Proxmox VE), or refuse with \
                the reason. Route, endpoint, control level and approval are the operator's, never arguments. Every call is \
                recorded (get_action_status). dryRun changes nothing.
                """,
            inputSchema: Schema.arguments([
                ("resourceId", Schema.id("The resource id, e.g. vm/pve-a/101.")),
                ("action", Schema.string("The action (see above for each type).", enum: ControlAction.allCases.map(\.rawValue))),
                ("reason", ["type": "string", "minLength": 1, "maxLength": 1000, "description": "Why, in a sentence: recorded, and shown to the approving human."]),
                ("replicas", ["type": "integer", "minimum": 0, "maximum": 10_000, "description": "For scale: the desired replica count."]),
                ("idempotencyKey", ["type": "string", "minLength": 1, "maxLength": 200, "description": "Your key for this action: a retry with it returns the first action."]),
                ("dryRun", Schema.boolean("Decide only: nothing is recorded or sent. Default false.")),
            ], required: ["resourceId", "action", "reason"]),
            outputSchema: ActionSchemas.action,
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false, openWorld: true)
        )
    }

    package func call(_ arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        try await dispatcher.run(try ControlRequest(arguments), context: context)
    }
}
