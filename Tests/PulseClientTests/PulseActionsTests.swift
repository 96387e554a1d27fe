import ControlEndpoints
import JSON
import Testing

@testable import PulseClient

/// The action lifecycle's HTTP requests: Pulse's routes, one path segment per id, and which calls
/// may be sent twice.
@Suite struct PulseActionsTests {
    @Test(arguments: [
        (PulseCall.resource(id: "vm-9493142bd2bf2b8e"), "GET", "/api/resources/vm-9493142bd2bf2b8e", true),
        (.plan(["requestId": "key:k"]), "POST", "/api/actions/plan", true),
        (.decide(actionId: "act_f9", ["outcome": "approved"]), "POST", "/api/actions/act_f9/decision", false),
        (.execute(actionId: "act_f9", [:]), "POST", "/api/actions/act_f9/execute", false),
        (.detail(actionId: "act_f9"), "GET", "/api/actions/act_f9", true),
        (.refresh(actionId: "act_f9", ["planHash": "sha256:0"]), "POST", "/api/actions/act_f9/refresh", false),
        (.list(view: "pending"), "GET", "/api/actions?view=pending&limit=500", true),
        (.resource(id: "odd/id?x"), "GET", "/api/resources/odd%2Fid%3Fx", true),
    ])
    func requests(call: PulseCall, method: String, route: String, idempotent: Bool) {
        let request = PulseActions.request(for: call)
        #expect(request.method.rawValue == method)
        #expect(request.route == route)
        #expect(request.isIdempotent == idempotent)
        #expect(call.isIdempotent == idempotent)
    }

    @Test func bodiesGoAsGiven() {
        let body: JSONValue = ["requestId": "key:k", "resourceId": "vm-1", "capabilityName": "reboot", "reason": "r"]
        #expect(PulseActions.request(for: .plan(body)).body == body)
        #expect(PulseActions.request(for: .detail(actionId: "act_1")).body == nil)
    }
}
