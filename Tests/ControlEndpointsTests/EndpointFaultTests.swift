@testable import ControlEndpoints
import JSON
import Synchronization
import Testing

/// The reference endpoint's fault switches, seen through the real client, and what a retry does after each.
struct EndpointFaultTests {
    struct FaultCase: Sendable, CustomTestStringConvertible {
        var name: String
        var faults: ReferenceEndpoint.Faults
        var deadlineMilliseconds = 5000
        var state: EndpointOutcome.State
        var phrase: String
        /// Whether the faulty endpoint applied the action before misbehaving.
        var applied: Bool
        var testDescription: String { name }
    }

    static let cases: [FaultCase] = [
        FaultCase(
            name: "slow past the deadline",
            faults: .init(delayMilliseconds: 1500),
            deadlineMilliseconds: 300,
            state: .unknown,
            phrase: "gave no answer within 300 ms; the endpoint may still apply it",
            applied: false
        ),
        FaultCase(name: "garbage", faults: .init(garbage: true), state: .unknown, phrase: "answered with a line that is not JSON", applied: true),
        FaultCase(name: "drop", faults: .init(dropConnection: true), state: .unknown, phrase: "closed the connection before answering", applied: true),
        FaultCase(name: "fail the action", faults: .init(failActions: ["stop"]), state: .failed, phrase: "told to fail stop actions; nothing was applied", applied: false),
    ]

    @Test(arguments: cases)
    func aRetryAfterAFaultNeverAppliesTwice(_ testCase: FaultCase) async throws {
        // Given a faulty endpoint
        let sandbox = try Sandbox()
        let (faulty, faultyAddress) = try sandbox.endpoint(on: [sandbox.socket("faulty")], faults: testCase.faults)
        let request = EndpointRequest.make("stop", key: "key-1", deadlineMilliseconds: testCase.deadlineMilliseconds)

        // When the action is sent to it
        let started = ContinuousClock.now
        let outcome = try await perform(request, at: faultyAddress)
        let elapsed = ContinuousClock.now - started
        faulty.stop()

        // Then the outcome says what can be known, in time
        #expect(outcome.state == testCase.state)
        #expect(outcome.message.contains(testCase.phrase), "\(outcome.message)")
        #expect(outcome.message.hasPrefix("\(faultyAddress)"))
        #expect(elapsed < .milliseconds(testCase.deadlineMilliseconds) + ControlProtocol.answerGrace + .seconds(1))
        #expect(try sandbox.executions(forKey: "key-1").count == (testCase.applied ? 1 : 0))

        // When the same key is retried against a healthy endpoint on the same state file
        let (healthy, healthyAddress) = try sandbox.endpoint(on: [sandbox.socket("healthy")])
        defer { healthy.stop() }
        let retry = try await perform(request, at: healthyAddress)

        // Then it completes, and the key has exactly one execution
        #expect(retry.state == .completed)
        #expect(retry.observed == ["powerState": "stopped"])
        #expect(try sandbox.executions(forKey: "key-1").count == 1)
        #expect(try sandbox.state()["executions"]?.arrayValue?.count == 1)
    }

    @Test func aSlowActionThatMissesItsDeadlineIsNeverApplied() async throws {
        // Given an endpoint slower than the deadline, and a client that waits long enough to hear its answer
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint(faults: .init(delayMilliseconds: 600))
        defer { endpoint.stop() }
        let patient = EndpointClient(answerGrace: .seconds(3))

        let outcome = try await perform(.make("delete", key: "key-1", deadlineMilliseconds: 200), at: address, client: patient)

        #expect(outcome.state == .failed)
        #expect(outcome.message == "\(address): deadline passed before applying: waited 600 ms, past the 200 ms deadline; nothing was applied")
        #expect(try sandbox.executions(forKey: "key-1").isEmpty)
        #expect(try sandbox.resource("vm/pve-a/101") == nil)
    }

    @Test func progressIsForwardedWhileTheEndpointWorks() async throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint(faults: .init(delayMilliseconds: 700))
        defer { endpoint.stop() }
        let received = Mutex<[EndpointProgress]>([])

        let outcome = try await perform(.make("start", key: "key-1"), at: address) { update in
            received.withLock { $0.append(update) }
        }

        #expect(outcome.state == .completed)
        let updates = received.withLock { $0 }
        #expect(updates.map(\.progress) == [250, 500])
        #expect(updates.allSatisfy { $0.total == 700 })
        #expect(updates.first?.message == "delayed by the endpoint's fault switch: 250 of 700 ms")
        #expect(try sandbox.executions(forKey: "key-1").count == 1)
    }

    @Test func stoppingDuringADelayAppliesNothingAndEndsPromptly() async throws {
        let sandbox = try Sandbox()
        let (endpoint, address) = try sandbox.endpoint(faults: .init(delayMilliseconds: 30_000))
        let session = try await EndpointClient().open(address, token: Sandbox.token, deadline: .seconds(5)).get()
        let pending = Task { await session.execute(.make("stop", key: "key-1", deadlineMilliseconds: 60_000), progress: { _ in }) }

        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        endpoint.stop()
        let outcome = await pending.value

        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(outcome.state == .unknown)
        #expect(outcome.message.contains("closed the connection before answering"))
        #expect(try sandbox.executions(forKey: "key-1").isEmpty)
    }
}
