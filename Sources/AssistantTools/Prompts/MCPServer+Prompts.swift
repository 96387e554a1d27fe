import JSONRPC

/// `prompts/list`, `prompts/get` and `completion/complete`: offered with the resources, over the same store.
extension MCPServer {
    static let promptMethods: Set<String> = ["prompts/list", "prompts/get", "completion/complete"]

    func promptRequest(_ method: String, _ params: JSONObject, version: ProtocolVersion) -> Reply {
        guard let resources else { return .error(.methodNotFound(method)) }
        switch method {
        case "prompts/list":
            guard params["cursor"] == nil || params["cursor"]?.isNull == true else {
                return .error(.invalidParams("invalid cursor for prompts/list: it has one page"))
            }
            return .result(PromptCatalog().list(version: version))
        case "prompts/get":
            return .now(Result { () throws(JSONRPCError) in try PromptCatalog().get(params) })
        default:
            let provider = CompletionProvider(services: resources.services)
            return .now(Result { () throws(JSONRPCError) in try provider.complete(params) })
        }
    }

    /// What `initialize` declares for them.
    static func promptCapabilities(_ version: ProtocolVersion, into capabilities: inout JSONObject) {
        capabilities["prompts"] = ["listChanged": false]
        if version.hasToolAnnotations {
            // `completions` was declared from 2025-03-26 on; before, clients just called completion/complete.
            capabilities["completions"] = [:]
        }
    }
}
