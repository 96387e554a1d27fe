import JSON
import JSONRPC

/// The tasks extension (`io.modelcontextprotocol/tasks`) for `control_resource`, in the 2026-07-28 era.
///
/// ```
/// tools/call control_resource, _meta clientCapabilities.extensions["io.modelcontextprotocol/tasks"]
///   no row written (dry run, policy refusal, reused key, bad arguments) → the CallToolResult, as without it
///   the planned row is durable → CreateTaskResult {resultType:"task", taskId, status, ttlMs, pollIntervalMs}
/// tasks/get {taskId}                      → the task; input_required carries inputRequests.approval,
///                                          completed the CallToolResult, failed the JSON-RPC error
/// tasks/update {taskId, inputResponses}   → {} once the answer is applied (the next get shows it)
/// tasks/cancel {taskId}                   → {}; honoured while the approval is pending (nothing sent),
///                                          not once the action is claimed for its executor
/// unknown, expired or another client's taskId → -32602; tasks/* without the extension declared → -32021
/// ```
///
/// Without the extension on the request, the call is served exactly as before. With every place of
/// ``TaskLimits/maximumTasks`` held by a running task, the call is served as without it too (a
/// client that declares the extension accepts either answer).
extension MCPServer {
    static let tasksExtension = "io.modelcontextprotocol/tasks"
    /// The one tool run as a task: the only one that waits on a human and an endpoint.
    static let taskTools: Set<String> = ["control_resource"]

    static let taskNotFound = JSONRPCError(code: JSONRPCError.invalidParamsCode, message: "Failed to retrieve task: Task not found")

    /// What discover adds to the capabilities: the extension, when the tool that uses it is listed
    /// (not under `read-only`, where every control call is refused on the spot).
    var taskCapabilities: JSONValue? {
        Self.taskTools.contains(where: registry.lists) ? [Self.tasksExtension: [:]] : nil
    }

    /// Whether `modern` declared the tasks extension.
    static func declaresTasks(_ modern: ModernRequest) -> Bool {
        modern.client.capabilities["extensions"]?[tasksExtension]?.objectValue != nil
    }

    /// Whether this call runs as a task: the extension declared, a task tool, and no multi-round-trip
    /// retry in flight (a `requestState` finishes the way it began).
    func wantsTask(_ modern: ModernRequest, tool: String) -> Bool {
        Self.taskTools.contains(tool) && Self.declaresTasks(modern) && modern.params["requestState"] == nil
            && registry.lists(tool)
    }

    /// Runs the call in the background and answers once its task is settled, or with its own answer.
    func callAsTask(_ name: String, arguments: JSONValue?, context prepared: ToolContext, since started: ContinuousClock.Instant) -> Reply {
        let link = ControlTaskLink(tasks: modern.tasks, principal: ApprovalStates.principal(prepared.client))
        var context = prepared
        context.task = link
        // The call's answer comes long before the action ends: progress would name a finished request.
        context.progressToken = nil
        let registry = self.registry
        let running = context
        let tasks = modern.tasks
        return .later {
            tasks.began()
            Task {
                defer { tasks.ended() }
                await registry.callOnStoreThreads(name, arguments: arguments, context: running, on: self.storeThreads) { answer in
                    link.finish(self.finish(answer, tool: name, arguments: arguments, context: running, since: started))
                }
            }
            let opening = await withTaskCancellationHandler {
                await link.opened()
            } onCancel: {
                link.abandon()
            }
            switch opening {
            case .answered(let answer):
                return answer
            case .task(let task):
                var created = task.json(detailed: false).objectValue ?? [:]
                created["resultType"] = "task"
                return .success(self.complete(.object(created)))
            }
        }
    }

    /// `tasks/get`, `tasks/update`, `tasks/cancel`.
    func taskRequest(_ method: String, _ modern: ModernRequest) -> Reply {
        guard Self.declaresTasks(modern) else {
            return .error(.missingRequiredClientCapability(
                ["extensions": [Self.tasksExtension: [:]]],
                why: "\(method) belongs to the tasks extension: declare extensions[\"\(Self.tasksExtension)\"]"
            ))
        }
        guard let id = modern.params["taskId"]?.stringValue else { return .error(.invalidParams("\(method) needs a string taskId")) }
        guard let task = self.modern.tasks.task(id, principal: ApprovalStates.principal(modern.client)) else {
            return .error(Self.taskNotFound)
        }
        switch method {
        case "tasks/get":
            return .result(complete(task.json(detailed: true)))
        case "tasks/update":
            guard case .object(let responses)? = modern.params["inputResponses"] else {
                return .error(.invalidParams("tasks/update needs an inputResponses object"))
            }
            // Keys not outstanding are ignored, as the extension asks.
            guard let response = responses[Self.approvalInput], task.answer(Approval.judge(response)) else {
                return .result(complete([:]))
            }
            return .later {
                await task.settled()
                return .success(self.complete([:]))
            }
        default:
            guard task.cancel() == .honoured else { return .result(complete([:])) }
            return .later {
                await task.settled()
                return .success(self.complete([:]))
            }
        }
    }
}
