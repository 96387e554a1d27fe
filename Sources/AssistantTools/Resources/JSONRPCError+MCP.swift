import JSON
import JSONRPC

// MARK: - MCP's own codes

extension JSONRPCError {
    /// MCP: the resource named by a URI does not exist.
    package static let resourceNotFoundCode = -32002

    package static func resourceNotFound(_ uri: String) -> JSONRPCError {
        JSONRPCError(code: resourceNotFoundCode, message: "Resource not found: \(uri)", data: ["uri": .string(uri)])
    }
}
