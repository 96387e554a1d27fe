import JSON
import JSONRPC
import ResourceStore

/// `completion/complete`: values for a prompt's arguments and for the resource templates' `{id}`.
///
/// Resource ids come from the store's index by prefix (``ResourceStore/StoreReader/completions(of:prefix:hiddenPlatforms:limit:)``),
/// at most 100, unsupported platforms left out as in every read; platform ids and aliases and the
/// severities come from the support model and the tools' vocabulary.
package struct CompletionProvider: Sendable {
    private let services: ReadServices

    package init(services: ReadServices) {
        self.services = services
    }

    /// The most values one answer offers (MCP's limit).
    static let limit = 100

    /// `completion/complete`.
    ///
    /// - Throws: `-32602` for a malformed `ref` or `argument`, or a prompt that does not exist.
    package func complete(_ params: JSONObject) throws(JSONRPCError) -> JSONValue {
        guard let ref = params["ref"]?.objectValue, let type = ref["type"]?.stringValue,
              let argument = params["argument"]?.objectValue, let name = argument["name"]?.stringValue,
              let value = argument["value"]?.stringValue
        else { throw .invalidParams("completion/complete needs ref {type, name | uri} and argument {name, value}") }
        let kind: Kind
        switch type {
        case "ref/resource":
            switch ref["uri"]?.stringValue {
            case "pulse://resource/{id}"?: kind = .resourceId
            case "pulse://platform/{id}"?: kind = .platform
            default: kind = .none
            }
        case "ref/prompt":
            guard let prompt = PromptCatalog.prompts.first(where: { $0.name == ref["name"]?.stringValue }) else {
                throw .invalidParams("unknown prompt \"\((ref["name"]?.stringValue ?? "").prefix(100))\"")
            }
            kind = prompt.arguments.contains { $0.0 == name } ? Kind(argument: name) : .none
        default:
            throw .invalidParams("ref.type must be ref/prompt or ref/resource")
        }
        let (values, more) = try values(kind, prefix: value)
        return ["completion": ["values": JSONValue(values), "hasMore": .bool(more)]]
    }

    private enum Kind {
        case resourceId, platform, severity, none

        init(argument: String) {
            switch argument {
            case "resourceId": self = .resourceId
            case "platform": self = .platform
            case "severity": self = .severity
            default: self = .none
            }
        }
    }

    private func values(_ kind: Kind, prefix: String) throws(JSONRPCError) -> ([String], Bool) {
        switch kind {
        case .resourceId:
            let hidden = services.gate.hiddenPlatforms
            do throws(ToolError) {
                let found = try services.read { try $0.completions(of: .id, prefix: prefix, hiddenPlatforms: hidden, limit: Self.limit) }
                return (found.values, found.more)
            } catch {
                throw .internalError("completing resource ids failed")
            }
        case .platform:
            let names = services.gate.manifest.platforms.flatMap { [$0.id.rawValue] + $0.aliases }
            return Self.matching(names, prefix)
        case .severity:
            return Self.matching(ReadSchemas.severities, prefix)
        case .none:
            return ([], false)
        }
    }

    /// The names that start with `prefix` (any case), each once, at most ``limit``.
    private static func matching(_ names: [String], _ prefix: String) -> ([String], Bool) {
        var seen = Set<String>()
        let found = names.filter { $0.lowercased().hasPrefix(prefix.lowercased()) && seen.insert($0).inserted }
        return (Array(found.prefix(limit)), found.count > limit)
    }
}
