import JSON
import JSONRPC

/// One tool: its published contract and its handler, side by side.
///
/// The arguments a handler gets have already been checked against
/// ``ToolDescriptor/inputSchema``; it returns the `structuredContent`, which
/// must conform to ``ToolDescriptor/outputSchema``.
package protocol Tool: Sendable {
    var descriptor: ToolDescriptor { get }

    /// Runs the tool.
    ///
    /// - Throws: ``ToolError/rejected(_:)`` for a failure the caller can read
    ///   and act on (answered as an `isError` result);
    ///   ``ToolError/internalFailure(_:)`` when the server itself failed
    ///   (answered as a protocol error).
    func call(_ arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue
}

/// A tool whose work is bounded and never waits: an in-memory answer or a
/// point lookup. The server runs it on the connection's reading thread and
/// answers at once — no task hop, no thread wake-up — which is most of the
/// round trip for such a tool; when more requests are already read behind it
/// (a pipelining client), it runs as a task instead, so that they run in
/// parallel (``JSONRPC/Reply/inline(_:)``). Anything that may take long or wait
/// (a broad search, a control dispatch) stays a plain ``Tool`` and runs concurrently.
package protocol InlineTool: Tool {
    /// Runs the tool synchronously. Same contract as ``Tool/call(_:context:)``.
    func respond(_ arguments: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue
}

extension InlineTool {
    package func call(_ arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        try respond(arguments, context: context)
    }
}

/// Why a tool call did not produce a result.
package enum ToolError: Error, Sendable, Equatable {
    /// The call was understood and refused or failed in a way the caller can fix: an `isError` result.
    case rejected(String)
    /// The call ran, and what it produced is a failure the caller must see as one (a refused or
    /// failed control action): an `isError` result that still carries `structuredContent`.
    case reported(JSONValue)
    /// The server failed: a `-32603` protocol error.
    case internalFailure(String)
}

/// What a tool handler may know about the call besides its arguments.
package struct ToolContext: Sendable {
    /// The `tools/call` request's id.
    package var requestID: RequestID
    /// The negotiated protocol version.
    package var protocolVersion: ProtocolVersion
    /// The client that called, from `initialize`.
    package var client: ClientInfo
    /// The `_meta.progressToken` of the call, if the caller asked for progress.
    package var progressToken: JSONValue?
    /// The connection, for progress notifications and requests to the client.
    package var peer: any Peer
    /// A request of the 2026-07-28 era: the server never sends the client a request for it.
    package var isModern = false
    /// A modern control call's approval: asked through the result, answered by the retry.
    package var approvalRound: ApprovalRound?
    /// A modern control call run as a task (the tasks extension): told when its row is durable and
    /// when it is sent, and asks the approval through the task.
    package var task: ControlTaskLink?
    /// Where the tool leaves what came of the call for the audit (``ToolOutcome``), if it says more than ok or error.
    package let outcome = ToolOutcomeSlot()

    package init(
        requestID: RequestID,
        protocolVersion: ProtocolVersion,
        client: ClientInfo,
        progressToken: JSONValue?,
        peer: any Peer
    ) {
        self.requestID = requestID
        self.protocolVersion = protocolVersion
        self.client = client
        self.progressToken = progressToken
        self.peer = peer
    }
}

/// The client as it introduced itself in `initialize`.
package struct ClientInfo: Sendable, Equatable {
    package var name: String
    package var version: String
    /// The client's declared capabilities (`elicitation`, `roots`, ...), as sent.
    package var capabilities: JSONObject

    package init(name: String, version: String, capabilities: JSONObject) {
        self.name = name
        self.version = version
        self.capabilities = capabilities
    }
}
