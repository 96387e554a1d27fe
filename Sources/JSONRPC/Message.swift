import JSON

/// One JSON-RPC 2.0 message, as read from or written to the wire.
///
/// ```
/// request       {"jsonrpc":"2.0","id":1,"method":"tools/list","params":{...}}
/// notification  {"jsonrpc":"2.0","method":"notifications/initialized"}
/// response      {"jsonrpc":"2.0","id":1,"result":{...}}
/// error         {"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"..."}}
/// ```
package enum Message: Sendable, Equatable {
    case request(Request)
    case notification(Notification)
    case response(Response)
}

/// A call that expects exactly one response.
package struct Request: Sendable, Equatable {
    package var id: RequestID
    package var method: String
    /// An object or array, or nil when the message has no `params`.
    package var params: JSONValue?

    package init(id: RequestID, method: String, params: JSONValue? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// A one-way message: it never gets a response.
package struct Notification: Sendable, Equatable {
    package var method: String
    package var params: JSONValue?

    package init(method: String, params: JSONValue? = nil) {
        self.method = method
        self.params = params
    }
}

/// The answer to a request: a result or an error. `id` is nil only for an
/// error answering a line whose id could not be read.
package struct Response: Sendable, Equatable {
    package var id: RequestID?
    package var outcome: Result<JSONValue, JSONRPCError>

    package init(id: RequestID?, outcome: Result<JSONValue, JSONRPCError>) {
        self.id = id
        self.outcome = outcome
    }

    package static func result(_ id: RequestID, _ result: JSONValue) -> Response {
        Response(id: id, outcome: .success(result))
    }

    package static func error(_ id: RequestID?, _ error: JSONRPCError) -> Response {
        Response(id: id, outcome: .failure(error))
    }
}

// MARK: - Encoding

extension Message {
    /// The wire form of the message.
    package var jsonValue: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0"]
        switch self {
        case .request(let request):
            object["id"] = request.id.jsonValue
            object["method"] = .string(request.method)
            object.setIfPresent("params", request.params)
        case .notification(let notification):
            object["method"] = .string(notification.method)
            object.setIfPresent("params", notification.params)
        case .response(let response):
            object["id"] = response.id?.jsonValue ?? .null
            switch response.outcome {
            case .success(let result): object["result"] = result
            case .failure(let error): object["error"] = error.jsonValue
            }
        }
        return .object(object)
    }
}

// MARK: - Decoding

/// A line that is JSON but not a valid JSON-RPC 2.0 message.
///
/// `id` is the message's id when it could be read, so the error answer can
/// name it; `isResponse` marks a malformed response, which is logged and
/// dropped since a response is never answered.
package struct InvalidMessage: Error, Sendable, Equatable {
    package var id: RequestID?
    package var error: JSONRPCError
    package var isResponse: Bool
}

extension Message {
    /// Reads a message from a parsed line, strictly.
    package static func decode(_ value: JSONValue) -> Result<Message, InvalidMessage> {
        guard case .object(let object) = value else {
            let detail = value.arrayValue != nil
                ? "batch requests are not supported (JSON-RPC batching was removed from MCP in 2025-06-18)"
                : "a message must be a JSON object, got \(value.typeName)"
            return .failure(InvalidMessage(id: nil, error: .invalidRequest(detail), isResponse: false))
        }
        let rawID = object["id"]
        let id = rawID.flatMap(RequestID.init)
        func invalid(_ detail: String, isResponse: Bool = false) -> Result<Message, InvalidMessage> {
            .failure(InvalidMessage(id: id, error: .invalidRequest(detail), isResponse: isResponse))
        }
        // A malformed response is dropped, never answered: answering it could start an error ping-pong.
        let isResponse = !object.contains("method") && (object.contains("result") || object.contains("error"))
        guard object["jsonrpc"] == "2.0" else {
            let detail = object.contains("jsonrpc") ? "\"jsonrpc\" must be \"2.0\"" : "missing \"jsonrpc\": \"2.0\""
            return invalid(detail, isResponse: isResponse)
        }
        // `null` is a valid id for one message only: an error answering a line whose id could not be read.
        if let rawID, id == nil, !(rawID.isNull && isResponse && object.contains("error")) {
            return invalid("id must be a string or an integer, got \(rawID.isNull ? "null" : rawID.typeName)", isResponse: isResponse)
        }
        if let method = object["method"] {
            guard case .string(let name) = method else { return invalid("method must be a string") }
            let params = object["params"]
            if let params, params.objectValue == nil, params.arrayValue == nil {
                return invalid("params must be an object or an array, got \(params.typeName)")
            }
            if let id {
                return .success(.request(Request(id: id, method: name, params: params)))
            }
            return .success(.notification(Notification(method: name, params: params)))
        }
        return decodeResponse(object, id: id, invalid: invalid)
    }

    private static func decodeResponse(
        _ object: JSONObject,
        id: RequestID?,
        invalid: (String, Bool) -> Result<Message, InvalidMessage>
    ) -> Result<Message, InvalidMessage> {
        switch (object["result"], object["error"]) {
        case (let result?, nil):
            guard let id else { return invalid("a response needs the id of its request", true) }
            return .success(.response(.result(id, result)))
        case (nil, let error?):
            guard let code = error["code"]?.integerValue, let message = error["message"]?.stringValue else {
                return invalid("an error response needs an integer code and a string message", true)
            }
            let rpcError = JSONRPCError(code: Int(code), message: message, data: error["data"])
            return .success(.response(.error(id, rpcError)))
        case (nil, nil):
            return invalid("a message needs a \"method\" (request or notification) or a \"result\" or \"error\"", false)
        case (_?, _?):
            return invalid("a response has a \"result\" or an \"error\", not both", true)
        }
    }
}
