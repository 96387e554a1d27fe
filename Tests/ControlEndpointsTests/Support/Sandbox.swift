@testable import ControlEndpoints
import Foundation
import JSON
import Logging

/// A temporary directory with a state file and socket paths, removed when the sandbox goes away.
///
/// Paths are short (`/tmp/cep-XXXXXX/…`): a Unix socket path holds at most 107 bytes.
final class Sandbox: Sendable {
    static let token = "test-token-0123456789"

    let directory: String

    init() throws {
        var template = Array("/tmp/cep-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw SandboxError(message: "mkdtemp failed") }
        directory = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var statePath: String { directory + "/state.json" }

    func socket(_ name: String = "e") -> EndpointAddress {
        .unix(path: "\(directory)/\(name).sock")
    }

    /// Starts a reference endpoint on the state file; stop it when done.
    func endpoint(
        on addresses: [EndpointAddress]? = nil,
        faults: ReferenceEndpoint.Faults = .none
    ) throws -> (endpoint: ReferenceEndpoint, address: EndpointAddress) {
        let endpoint = ReferenceEndpoint(
            listen: addresses ?? [socket()],
            statePath: statePath,
            token: Self.token,
            faults: faults,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let bound = try endpoint.start()
        guard let first = bound.first else { throw SandboxError(message: "no address bound") }
        return (endpoint, first)
    }

    /// The state file as JSON.
    func state() throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: statePath))))
    }

    /// The executions recorded for `key`.
    func executions(forKey key: String) throws -> [JSONValue] {
        (try state()["executions"]?.arrayValue ?? []).filter { $0["idempotencyKey"] == .string(key) }
    }

    func resource(_ id: String) throws -> JSONValue? {
        try state()["resources"]?[id]
    }
}

struct SandboxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

// MARK: - Requests

extension EndpointRequest {
    static func make(
        _ action: String,
        resource: String = "vm/pve-a/101",
        params: JSONObject = [:],
        key: String,
        deadlineMilliseconds: Int = 5000
    ) -> EndpointRequest {
        EndpointRequest(
            actionId: "action-\(key)",
            resourceId: resource,
            action: action,
            params: params,
            idempotencyKey: key,
            deadlineMilliseconds: deadlineMilliseconds
        )
    }
}

/// Opens a session and executes one request: the common path of most tests.
func perform(
    _ request: EndpointRequest,
    at address: EndpointAddress,
    client: EndpointClient = EndpointClient(),
    progress: @escaping @Sendable (EndpointProgress) -> Void = { _ in }
) async throws -> EndpointOutcome {
    let session = try await client.open(address, token: Sandbox.token, deadline: .seconds(5)).get()
    return await session.execute(request, progress: progress)
}
