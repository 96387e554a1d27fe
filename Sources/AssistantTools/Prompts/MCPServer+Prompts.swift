import JSON
import JSONRPC
import ResourceStore

/// `prompts/list`, `prompts/get` and `completion/complete`: offered with the resources, over the same store.
extension MCPServer {
    static let promptMethods: Set<String> = ["prompts/list", "prompts/get", "completion/complete"]

    func promptRequest(_ method: String, _ params: JSONObject, version: ProtocolVersion) -> Reply {
        promptReply(method, params, version: version) { $0 }
    }

    /// The same for a 2026-07-28 request: each result completed as that era's (the prompt list is static).
    func promptModern(_ method: String, _ params: JSONObject) -> Reply {
        promptReply(method, params, version: .v2025_11_25) { result in
            method == "prompts/list" ? self.complete(result, ttl: Self.staticTTL, scope: "public") : self.complete(result)
        }
    }

    private func promptReply(
        _ method: String, _ params: JSONObject, version: ProtocolVersion, _ finish: @escaping @Sendable (JSONValue) -> JSONValue
    ) -> Reply {
        guard let resources else { return .error(.methodNotFound(method)) }
        switch method {
        case "prompts/list":
            guard params["cursor"] == nil || params["cursor"]?.isNull == true else {
                return .error(.invalidParams("invalid cursor for prompts/list: it has one page"))
            }
            return .result(finish(PromptCatalog().list(version: version)))
        case "prompts/get":
            return .now(Result { () throws(JSONRPCError) in finish(try PromptCatalog().get(params)) })
        default:
            // A read of the store's name index: on the store's threads, like every other store read.
            let provider = CompletionProvider(services: resources.services)
            return .later(on: storeThreads) { await self.storeThreads.result { () throws(JSONRPCError) in finish(try provider.complete(params)) } }
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
