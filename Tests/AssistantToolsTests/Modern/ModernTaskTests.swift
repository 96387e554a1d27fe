import AssistantTools
import Fleet
import GRDB
import JSON
import JSONRPC
import Policy
import Synchronization
import Testing

/// The tasks extension (`io.modelcontextprotocol/tasks`) for `control_resource` in MCP 2026-07-28.
@Suite("MCP 2026-07-28: control_resource as a task")
struct ModernTaskTests {
    static let stop: JSONValue = ["resourceId": "vm/pve-a/101", "action": "stop", "reason": "patch window"]
    static let tasks: JSONValue = ["elicitation": ["form": [:]], "extensions": ["io.modelcontextprotocol/tasks": [:]]]
    static let accept: JSONValue = ["action": "accept", "content": ["approve": true]]
    static let now = DemoFleet.defaultNow.secondsSince1970 * 1000

    static func meta(_ capabilities: JSONValue, client: String) -> JSONObject {
        var meta = Modern.meta(capabilities: capabilities)
        meta["io.modelcontextprotocol/clientInfo"] = ["name": .string(client), "version": "1.0"]
        return meta
    }

    static func call(_ arguments: JSONValue = stop, capabilities: JSONValue = tasks, client: String = "tests") -> JSONValue {
        Modern.params(["name": "control_resource", "arguments": arguments], meta: meta(capabilities, client: client))
    }

    static func task(_ id: String, _ extra: JSONObject = [:], capabilities: JSONValue = tasks, client: String = "tests") -> JSONValue {
        var params: JSONObject = ["taskId": .string(id)]
        for (key, value) in extra { params[key] = value }
        return Modern.params(params, meta: meta(capabilities, client: client))
    }

    /// Calls `control_resource` as a task and checks the CreateTaskResult's shape; returns it.
    func create(_ harness: ControlHarness, _ arguments: JSONValue = stop) async throws -> JSONValue {
        let created = try await harness.send("tools/call", Self.call(arguments)).get()
        try Self.expectTask(created, resultType: "task")
        #expect(created["inputRequests"] == nil && created["result"] == nil, "a CreateTaskResult is a Task, not a DetailedTask")
        return created
    }

    /// The fields every Task of the extension carries, with the values of this server.
    static func expectTask(_ task: JSONValue, resultType: String) throws {
        #expect(task["resultType"]?.stringValue == resultType)
        let id = try #require(task["taskId"]?.stringValue)
        #expect(id.hasPrefix("task-") && id.count == 29, "\(id)")
        #expect(["working", "input_required", "completed", "failed", "cancelled"].contains(task["status"]?.stringValue ?? ""))
        #expect(task["createdAt"]?.stringValue == ServerClock.text(milliseconds: now))
        #expect(task["lastUpdatedAt"]?.stringValue != nil)
        #expect(task["ttlMs"] == 3_600_000)
        #expect(task["pollIntervalMs"] == 1_000)
        #expect(task["statusMessage"]?.stringValue?.contains("act-") == true)
        #expect(task["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == "pulse-assistant")
    }

    func get(_ harness: ControlHarness, _ id: String) async throws -> JSONValue {
        let task = try await harness.send("tasks/get", Self.task(id)).get()
        try Self.expectTask(task, resultType: "complete")
        return task
    }

    /// Polls `tasks/get` until the task ends.
    func ended(_ harness: ControlHarness, _ id: String) async throws -> JSONValue {
        try await reached(harness, id, ["completed", "failed", "cancelled"])
    }

    /// Polls `tasks/get` until the task's status is one of `statuses`.
    func reached(_ harness: ControlHarness, _ id: String, _ statuses: Set<String>) async throws -> JSONValue {
        for _ in 0..<500 {
            let task = try await get(harness, id)
            if statuses.contains(task["status"]?.stringValue ?? "") { return task }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("task \(id) did not reach \(statuses.sorted())")
        return .null
    }

    /// Each action row's id, state, code, approval and message.
    func rows(_ harness: ControlHarness) throws -> [[String: String]] {
        try harness.stores.store().database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, state, code, approval, message FROM action ORDER BY id").map { row in
                var columns: [String: String] = [:]
                for name in ["id", "state", "code", "approval", "message"] {
                    let value: String? = row[name]
                    columns[name] = value
                }
                return columns
            }
        }
    }

    @Test("discover advertises the extension")
    func discover() async throws {
        let harness = try ControlHarness(level: .controlled)
        let result = try await harness.send("server/discover", Modern.params()).get()
        #expect(result["capabilities"]?["extensions"] == ["io.modelcontextprotocol/tasks": [:]])
    }

    @Test("read-only: not advertised, tasks/* unknown, a control call declaring it refused as before")
    func readOnly() async throws {
        let harness = try ControlHarness(level: .readOnly)
        let result = try await harness.send("server/discover", Modern.params()).get()
        #expect(result["capabilities"]?["extensions"] == nil)
        #expect(await harness.send("tasks/get", Self.task("task-x")).errorCode == JSONRPCError.methodNotFoundCode)
        let refused = try await harness.send("tools/call", Self.call()).get()
        #expect(refused["resultType"] == "complete" && refused["isError"] == true && refused["taskId"] == nil)
    }

    @Test("the handle comes once the planned row is durable, before anything is sent")
    func handleAfterRow() async throws {
        let harness = try ControlHarness(level: .controlled)
        let created = try await create(harness)
        #expect(created["status"] == "input_required")
        let rows = try rows(harness)
        #expect(rows.count == 1)
        #expect(rows.first?["state"] == "planned" && rows.first?["approval"] == "pending")
        #expect(created["statusMessage"]?.stringValue?.contains(rows.first?["id"] ?? "?") == true)
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("autonomous: tasks/get reports the task through to completion, with the CallToolResult")
    func getToCompletion() async throws {
        let harness = try ControlHarness(level: .autonomous)
        let created = try await create(harness)
        // Claimed for its executor: sending, or already ended (the fake endpoint answers at once).
        #expect(created["status"] == "working" || created["status"] == "completed")
        let id = try #require(created["taskId"]?.stringValue)
        let done = try await ended(harness, id)
        #expect(done["status"] == "completed")
        let result = try #require(done["result"])
        #expect(result["resultType"] == "complete")
        #expect(result["isError"] == nil || result["isError"] == false)
        let action = try harness.structured(result, "control_resource")
        #expect(action["state"] == "completed")
        #expect(action["approval"] == "not-needed")
        #expect(harness.transport.executed.count == 1)
    }

    @Test("controlled: the approval is input_required, answered with tasks/update; the action is sent once")
    func approvalThroughInput() async throws {
        let harness = try ControlHarness(level: .controlled)
        let id = try #require(try await create(harness)["taskId"]?.stringValue)
        let asking = try await get(harness, id)
        #expect(asking["status"] == "input_required")
        let form = try #require(asking["inputRequests"]?["approval"])
        #expect(form["method"] == "elicitation/create")
        #expect(form["params"]?["mode"] == "form")
        #expect(form["params"]?["message"]?.stringValue?.contains("vm/pve-a/101") == true)
        #expect(form["params"]?["requestedSchema"]?["required"] == ["approve"])
        // A key not outstanding is ignored: still asking, nothing sent.
        let ignored = try await harness.send("tasks/update", Self.task(id, ["inputResponses": ["other": Self.accept]])).get()
        #expect(ignored["resultType"] == "complete")
        #expect(try await get(harness, id)["status"] == "input_required")
        let ack = try await harness.send("tasks/update", Self.task(id, ["inputResponses": ["approval": Self.accept]])).get()
        #expect(ack["resultType"] == "complete")
        #expect(ack.objectValue?.keys.sorted() == ["_meta", "resultType"])
        #expect(try await get(harness, id)["status"] != "input_required", "the ack comes once the answer is applied")
        let done = try await ended(harness, id)
        #expect(done["status"] == "completed")
        let action = try harness.structured(try #require(done["result"]), "control_resource")
        #expect(action["approval"] == "granted" && action["state"] == "completed")
        #expect(harness.transport.executed.count == 1)
        // The same answer again changes nothing.
        _ = try await harness.send("tasks/update", Self.task(id, ["inputResponses": ["approval": Self.accept]])).get()
        #expect(harness.transport.executed.count == 1)
    }

    @Test("decline, cancel or an unticked form: completed with the refusal, nothing sent", arguments: [
        ["action": "decline"] as JSONValue, ["action": "cancel"], ["action": "accept", "content": ["approve": false]],
    ])
    func declined(_ response: JSONValue) async throws {
        let harness = try ControlHarness(level: .controlled)
        let id = try #require(try await create(harness)["taskId"]?.stringValue)
        _ = try await harness.send("tasks/update", Self.task(id, ["inputResponses": ["approval": response]])).get()
        let done = try await get(harness, id)
        #expect(done["status"] == "completed", "the ack comes once the refusal is recorded")
        #expect(done["result"]?["isError"] == true)
        #expect(done["result"]?["structuredContent"]?["code"] == "approval_declined")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("tasks/cancel while the approval is pending: cancelled, the row refused, nothing sent")
    func cancelBeforeDispatch() async throws {
        let harness = try ControlHarness(level: .controlled)
        let id = try #require(try await create(harness)["taskId"]?.stringValue)
        let ack = try await harness.send("tasks/cancel", Self.task(id)).get()
        #expect(ack["resultType"] == "complete")
        let cancelled = try await get(harness, id)
        #expect(cancelled["status"] == "cancelled")
        #expect(cancelled["result"] == nil && cancelled["inputRequests"] == nil)
        let rows = try rows(harness)
        #expect(rows.count == 1 && rows.first?["state"] == "refused" && rows.first?["code"] == "approval_declined")
        #expect(harness.transport.opened.isEmpty)
        // An approval after the cancel is ignored.
        _ = try await harness.send("tasks/update", Self.task(id, ["inputResponses": ["approval": Self.accept]])).get()
        #expect(try await get(harness, id)["status"] == "cancelled")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("tasks/cancel once the action is claimed for its executor: acknowledged, not honoured; it completes")
    func cancelAfterDispatch() async throws {
        let gate = FakeTransport.Gate()
        let harness = try ControlHarness(level: .autonomous, transport: FakeTransport(.held(gate)))
        let id = try #require(try await create(harness)["taskId"]?.stringValue)
        let ack = try await harness.send("tasks/cancel", Self.task(id)).get()
        #expect(ack["resultType"] == "complete")
        let sending = try await get(harness, id)
        #expect(sending["status"] == "working")
        #expect(sending["statusMessage"]?.stringValue?.contains("not honoured") == true)
        gate.open()
        let done = try await ended(harness, id)
        #expect(done["status"] == "completed")
        #expect(done["result"]?["structuredContent"]?["state"] == "completed")
        #expect(harness.transport.executed.count == 1)
    }

    @Test("an unknown, malformed or another client's task id is -32602; tasks/* without the extension -32021")
    func foreignIds() async throws {
        let harness = try ControlHarness(level: .controlled)
        let id = try #require(try await create(harness)["taskId"]?.stringValue)
        var flipped = Array(id)
        flipped[10] = flipped[10] == "A" ? "B" : "A"
        for method in ["tasks/get", "tasks/update", "tasks/cancel"] {
            let extra: JSONObject = method == "tasks/update" ? ["inputResponses": ["approval": Self.accept]] : [:]
            for attempt in [Self.task(id, extra, client: "someone-else"), Self.task(String(flipped), extra), Self.task("act-000001", extra)] {
                let answer = await harness.send(method, attempt)
                #expect(answer.errorCode == JSONRPCError.invalidParamsCode, "\(method): \(answer)")
                #expect((try? answer.get()) == nil)
            }
            let missing = await harness.send(method, Modern.params(["taskId": 7], meta: Self.meta(Self.tasks, client: "tests")))
            #expect(missing.errorCode == JSONRPCError.invalidParamsCode)
            let undeclared = await harness.send(method, Self.task(id, extra, capabilities: ["elicitation": ["form": [:]]]))
            #expect(undeclared.errorCode == JSONRPCError.missingRequiredClientCapabilityCode)
        }
        #expect(try await get(harness, id)["status"] == "input_required", "nothing another client sent touched it")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("task ids are keyed handles: the same under the replay key, unrelated under another")
    func keyedIds() async throws {
        let first = try await create(try ControlHarness(level: .controlled, requestStates: .replay))["taskId"]
        let again = try await create(try ControlHarness(level: .controlled, requestStates: .replay))["taskId"]
        let other = try await create(try ControlHarness(level: .controlled))["taskId"]
        #expect(first == again)
        #expect(first != other)
        #expect(first?.stringValue?.contains("act-") == false)
    }

    @Test("at most 64 tasks: a call past them is served as without the extension; an ended task makes room")
    func limit() async throws {
        let harness = try ControlHarness(level: .controlled)
        var ids: [String] = []
        for _ in 0..<64 {
            ids.append(try #require(try await create(harness)["taskId"]?.stringValue))
        }
        #expect(Set(ids).count == 64)
        let past = try await harness.send("tools/call", Self.call()).get()
        #expect(past["resultType"] == "input_required" && past["requestState"]?.stringValue != nil)
        _ = try await harness.send("tasks/update", Self.task(ids[0], ["inputResponses": ["approval": ["action": "decline"]]])).get()
        let again = try await harness.send("tools/call", Self.call()).get()
        #expect(again["resultType"] == "task")
        #expect(await harness.send("tasks/get", Self.task(ids[0])).errorCode == JSONRPCError.invalidParamsCode, "the ended task was forgotten")
        #expect(try await get(harness, ids[1])["status"] == "input_required")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("a task expires after its TTL on the server's clock: -32602, its pending approval refused, nothing sent")
    func expiry() async throws {
        let offset = Mutex<Int64>(0)
        let clock = ServerClock { Self.now + offset.withLock { $0 } }
        let harness = try ControlHarness(level: .controlled, clock: clock)
        let id = try #require(try await create(harness)["taskId"]?.stringValue)
        offset.withLock { $0 = 3_599_999 }
        #expect(try await get(harness, id)["status"] == "input_required")
        offset.withLock { $0 = 3_600_000 }
        let expired = await harness.send("tasks/get", Self.task(id))
        #expect(expired.errorCode == JSONRPCError.invalidParamsCode)
        var waited = 0
        while try rows(harness).first?["state"] != "refused", waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(try rows(harness).first?["state"] == "refused")
        #expect(harness.transport.opened.isEmpty)
    }

    @Test("without the extension the call is as before: MRTR under controlled, the result under autonomous")
    func withoutExtension() async throws {
        let elicitation: JSONValue = ["elicitation": ["form": [:]]]
        let controlled = try ControlHarness(level: .controlled)
        let asked = try await controlled.send("tools/call", Self.call(capabilities: elicitation)).get()
        #expect(asked["resultType"] == "input_required" && asked["requestState"]?.stringValue != nil && asked["taskId"] == nil)
        #expect(try controlled.actionCount() == 0)
        let autonomous = try ControlHarness(level: .autonomous)
        let done = try await autonomous.send("tools/call", Self.call(capabilities: [:])).get()
        #expect(done["resultType"] == "complete" && done["taskId"] == nil)
        #expect(try autonomous.structured(done, "control_resource")["state"] == "completed")
        let extensionOnly = await autonomous.send("tools/call", Self.call(capabilities: ["extensions": ["io.modelcontextprotocol/tasks": [:]]]))
        #expect((try? extensionOnly.get())?["resultType"] == "task", "autonomous needs no elicitation")
    }

    @Test("no row, no task: a dry run or a policy refusal is answered as without the extension")
    func noRowNoTask() async throws {
        let harness = try ControlHarness(level: .controlled)
        let dry = try await harness.send("tools/call", Self.call(["resourceId": "vm/pve-a/101", "action": "stop", "reason": "x", "dryRun": true])).get()
        #expect(dry["resultType"] == "complete" && dry["structuredContent"]?["state"] == "dry-run")
        let refused = try await harness.send("tools/call", Self.call(["resourceId": "vm/nowhere/1", "action": "stop", "reason": "x"])).get()
        #expect(refused["resultType"] == "complete" && refused["isError"] == true)
        #expect(try await create(harness)["resultType"] == "task", "a place is still free: 64 minus none")
    }

    @Test("subscriptions/listen with tasksStatus: the client's own tasks, each change as tasks/get shows it")
    func listenToTask() async throws {
        let peer = RecordingPeer()
        let harness = try ControlHarness(level: .controlled, peer: peer)
        let id = try #require(try await create(harness)["taskId"]?.stringValue)
        // The task asks for approval on its own time; listening starts after that.
        _ = try await reached(harness, id, ["input_required"])
        let undeclared = await harness.send("subscriptions/listen", Modern.params(
            ["notifications": ["tasksStatus": [.string(id)]]], meta: Self.meta(["elicitation": ["form": [:]]], client: "tests")))
        #expect(undeclared.errorCode == JSONRPCError.missingRequiredClientCapabilityCode)
        let asked: JSONValue = ["notifications": ["tasksStatus": [.string(id), "task-nope", .string(id)]]]
        let listen = Task { await harness.send("subscriptions/listen", Modern.params(asked.objectValue ?? [:], meta: Self.meta(Self.tasks, client: "tests"))) }
        func sent(_ method: String) -> [JSONValue] {
            peer.notifications.filter { $0.method == method }.compactMap(\.params)
        }
        for _ in 0..<500 where sent("notifications/subscriptions/acknowledged").isEmpty {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(sent("notifications/subscriptions/acknowledged").first?["notifications"] == ["tasksStatus": [.string(id)]])
        _ = try await harness.send("tasks/update", Self.task(id, ["inputResponses": ["approval": Self.accept]])).get()
        for _ in 0..<500 where !sent("notifications/tasks/status").contains(where: { $0["status"] == "completed" }) {
            try await Task.sleep(for: .milliseconds(5))
        }
        let updates = sent("notifications/tasks/status")
        #expect(updates.map { $0["status"]?.stringValue ?? "" } == ["working", "completed"])
        #expect(updates.allSatisfy { $0["taskId"]?.stringValue == id && $0["_meta"]?["io.modelcontextprotocol/subscriptionId"] == 1 })
        #expect(updates.last?["result"]?["structuredContent"]?["approval"] == "granted")
        harness.server.inputEnded()
        let closed = try await listen.value.get()
        #expect(closed["_meta"]?["io.modelcontextprotocol/subscriptionId"] == 1)
        let other = await harness.send("subscriptions/listen", Modern.params(asked.objectValue ?? [:], meta: Self.meta(Self.tasks, client: "someone-else")))
        #expect((try? other.get()) != nil, "a finished feed closes the stream at once")
        #expect(sent("notifications/subscriptions/acknowledged").last?["notifications"] == ["tasksStatus": []], "another client's task is not followed")
    }

    @Test("a call cancelled before its handle: its approval is refused at once, nothing sent")
    func cancelledCall() async throws {
        let harness = try ControlHarness(level: .controlled)
        guard case .later(_, let work) = harness.server.receive(Request(id: .integer(9), method: "tools/call", params: Self.call()), from: harness.peer)
        else { throw CancellationError() }
        let call = Task {
            try? await Task.sleep(for: .seconds(5))
            return await work()
        }
        call.cancel()
        _ = await call.value
        let rows = try rows(harness)
        #expect(rows.count == 1 && rows.first?["state"] == "refused" && rows.first?["code"] == "approval_declined")
        #expect(rows.first?["message"]?.contains("cancelled its call") == true)
        #expect(harness.transport.opened.isEmpty)
    }
}
