import JSON

/// A JSON-RPC error object: what a request gets back when it cannot be served.
///
/// The codes are the ones DESIGN §2 names; the factories keep the messages
/// uniform. A failure a caller can read and fix (a bad tool argument) is not
/// one of these: it is a successful result that says what was wrong.
package struct JSONRPCError: Error, Sendable, Equatable {
    package var code: Int
    package var message: String
    package var data: JSONValue?

    package init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    package var jsonValue: JSONValue {
        var object: JSONObject = ["code": .integer(Int64(code)), "message": .string(message)]
        object.setIfPresent("data", data)
        return .object(object)
    }
}

// MARK: - Codes

extension JSONRPCError {
    package static let parseErrorCode = -32700
    package static let invalidRequestCode = -32600
    package static let methodNotFoundCode = -32601
    package static let invalidParamsCode = -32602
    package static let internalErrorCode = -32603

    package static func parseError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: parseErrorCode, message: "Parse error: \(detail)")
    }

    package static func invalidRequest(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: invalidRequestCode, message: "Invalid request: \(detail)")
    }

    package static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: methodNotFoundCode, message: "Method not found: \(method)")
    }

    package static func invalidParams(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: invalidParamsCode, message: "Invalid params: \(detail)")
    }

    package static func internalError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: internalErrorCode, message: "Internal error: \(detail)")
    }
}
