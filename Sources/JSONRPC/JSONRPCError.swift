import JSON

/// A JSON-RPC error object: what a request gets back when it cannot be served.
///
/// The codes are the ones DESIGN §2 names; the factories keep the messages
/// uniform. A failure a caller can read and fix (a bad tool argument) is not
/// one of these: it is a successful result that says what was wrong.
public struct JSONRPCError: Error, Sendable, Equatable {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var jsonValue: JSONValue {
        var object: JSONObject = ["code": .integer(Int64(code)), "message": .string(message)]
        object.setIfPresent("data", data)
        return .object(object)
    }
}

// MARK: - Codes

extension JSONRPCError {
    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603

    public static func parseError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: parseErrorCode, message: "Parse error: \(detail)")
    }

    public static func invalidRequest(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: invalidRequestCode, message: "Invalid request: \(detail)")
    }

    public static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: methodNotFoundCode, message: "Method not found: \(method)")
    }

    public static func invalidParams(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: invalidParamsCode, message: "Invalid params: \(detail)")
    }

    public static func internalError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: internalErrorCode, message: "Internal error: \(detail)")
    }
}
