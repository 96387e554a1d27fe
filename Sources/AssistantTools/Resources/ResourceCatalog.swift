import Foundation
import JSON
import JSONRPC
import Policy
import ResourceStore

/// The MCP resources: `pulse://matrix`, `pulse://platform/{id}` and `pulse://resource/{id}`.
///
/// Resource ids contain `/`, so in a URI the id is percent-encoded
/// (`pulse://resource/vm%2Fpve-a%2F101`); reads accept the raw form too.
/// `resources/list` walks the matrix, every platform, then every readable
/// resource by (name, id) — a keyset cursor, so a million resources list as
/// fast on the last page as on the first.
public struct ResourceCatalog: Sendable {
    private let services: ReadServices
    private let platformTool: GetPlatformSupportTool
    private let resourceTool: GetResourceTool
    private let pageSize: Int

    public init(services: ReadServices, evaluator: ControlEvaluator, pageSize: Int = 100) {
        self.services = services
        self.platformTool = GetPlatformSupportTool(manifest: services.gate.manifest)
        self.resourceTool = GetResourceTool(services: services, evaluator: evaluator)
        self.pageSize = max(1, pageSize)
    }

    /// `resources/templates/list`.
    public func templates(version: ProtocolVersion) -> JSONValue {
        let templates: [JSONValue] = [
            entry(uriTemplate: "pulse://resource/{id}", name: "resource", title: "Resource",
                  description: "One canonical resource as get_resource returns it; the id is percent-encoded.", version: version),
            entry(uriTemplate: "pulse://platform/{id}", name: "platform", title: "Platform support row",
                  description: "One platform's row of the support matrix, by id or alias.", version: version),
        ]
        return ["resourceTemplates": .array(templates)]
    }

    /// One page of `resources/list`.
    public func list(cursor token: String?, version: ProtocolVersion) throws(JSONRPCError) -> JSONValue {
        let fixed = [entry(uri: "pulse://matrix", name: "matrix", title: "Platform support matrix",
                           description: "The governed support matrix: every platform and surface.", version: version)]
            + services.gate.manifest.platforms.map { platform in
                entry(uri: "pulse://platform/\(platform.id)", name: platform.id.rawValue, title: platform.displayName,
                      description: platform.statement, version: version)
            }
        var after: ResourceKey?
        var entries: [JSONValue] = []
        if let token {
            guard let cursor = Cursor(token: token, listing: "resources/list") else {
                throw .invalidParams("invalid cursor for resources/list")
            }
            let parts = cursor.position.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { throw .invalidParams("invalid cursor for resources/list") }
            after = ResourceKey(value: .text(parts[0]), id: parts[1])
        } else {
            entries = fixed
        }
        var query = ResourceQuery()
        query.hiddenPlatforms = services.gate.hiddenPlatforms
        query.after = after
        query.limit = max(1, pageSize - entries.count)
        let page: ResourcePage
        do throws(ToolError) {
            page = try services.read { try $0.search(query) }
        } catch {
            throw .internalError("listing resources failed")
        }
        entries += page.rows.map { row in
            entry(uri: Self.uri(forResource: row.id), name: row.name, title: "\(row.name) (\(row.type))",
                  description: "\(row.type) on \(row.platform), \(row.status)", version: version)
        }
        var result: JSONObject = ["resources": .array(entries)]
        if let next = page.next, case .text(let name) = next.value {
            result["nextCursor"] = .string(Cursor(listing: "resources/list", position: "\(name)\u{1F}\(next.id)").token)
        }
        return .object(result)
    }

    /// `resources/read`.
    ///
    /// - Throws: `-32002` for a URI that names nothing.
    public func read(uri: String, context: ToolContext) throws(JSONRPCError) -> JSONValue {
        let content: JSONValue
        if uri == "pulse://matrix" {
            content = try structured(platformTool, [:], context: context, uri: uri)
        } else if let id = Self.suffix(of: uri, after: "pulse://platform/") {
            content = try structured(platformTool, ["platform": .string(id)], context: context, uri: uri)
        } else if let id = Self.suffix(of: uri, after: "pulse://resource/") {
            content = try structured(resourceTool, ["id": .string(id), "includeUnsupported": true], context: context, uri: uri)
        } else {
            throw .resourceNotFound(uri)
        }
        // Serialized once, and escaped as it is written (``SerializedJSON/text``).
        return ["contents": [["uri": .string(uri), "mimeType": "application/json", "text": .serialized(SerializedJSON(content).text)]]]
    }

    private func structured(_ tool: any InlineTool, _ arguments: JSONObject, context: ToolContext, uri: String) throws(JSONRPCError) -> JSONValue {
        do throws(ToolError) {
            return try tool.respond(arguments, context: context)
        } catch {
            switch error {
            case .rejected, .reported: throw .resourceNotFound(uri)
            case .internalFailure(let message): throw .internalError(message)
            }
        }
    }

    /// The URI of a resource: its id percent-encoded.
    public static func uri(forResource id: String) -> String {
        "pulse://resource/" + (id.addingPercentEncoding(withAllowedCharacters: unreserved) ?? id)
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func suffix(of uri: String, after prefix: String) -> String? {
        guard uri.hasPrefix(prefix) else { return nil }
        let rest = String(uri.dropFirst(prefix.count))
        guard !rest.isEmpty else { return nil }
        return rest.removingPercentEncoding ?? rest
    }

    private func entry(
        uri: String? = nil, uriTemplate: String? = nil, name: String, title: String, description: String, version: ProtocolVersion
    ) -> JSONValue {
        var object = JSONObject()
        object.setIfPresent("uri", uri.map(JSONValue.string))
        object.setIfPresent("uriTemplate", uriTemplate.map(JSONValue.string))
        object["name"] = .string(name)
        if version.hasStructuredContent { object["title"] = .string(title) }
        object["description"] = .string(description)
        object["mimeType"] = "application/json"
        return .object(object)
    }
}
