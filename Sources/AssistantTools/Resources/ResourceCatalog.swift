import Foundation
import JSON
import JSONRPC
import Policy
import ResourceStore

/// The MCP resources: `pulse://matrix`, `pulse://platform/{id}` and `pulse://resource/{id}`.
///
/// Resource ids contain `/`, so in a URI the id is percent-encoded
/// (`pulse://resource/vm%2Fpve-a%2F101`); reads accept the raw form too.
/// `resources/list` lists the matrix and the platform rows; fleet objects are
/// read through the template.
package struct ResourceCatalog: Sendable {
    let services: ReadServices
    private let platformTool: GetPlatformSupportTool
    private let resourceTool: GetResourceTool

    package init(services: ReadServices, evaluator: ControlEvaluator) {
        self.services = services
        self.platformTool = GetPlatformSupportTool(manifest: services.gate.manifest)
        self.resourceTool = GetResourceTool(services: services, evaluator: evaluator)
    }

    /// `resources/templates/list`.
    package func templates(version: ProtocolVersion) -> JSONValue {
        let templates: [JSONValue] = [
            entry(uriTemplate: "pulse://resource/{id}", name: "resource", title: "Resource",
                  description: "One canonical resource as get_resource returns it, by its id (percent-encoded); completion/complete offers ids.", version: version),
            entry(uriTemplate: "pulse://platform/{id}", name: "platform", title: "Platform support row",
                  description: "One platform's row of the support matrix, by id or alias.", version: version),
        ]
        return ["resourceTemplates": .array(templates)]
    }

    /// `resources/list`: the matrix and every platform's row, one page.
    ///
    /// Fleet objects are not listed: hosts turn every listed resource into a tool or a context entry
    /// (290 on the demo fleet, a million on a big store), so they stay reachable through the
    /// `pulse://resource/{id}` template, and through `completion/complete` for its id.
    ///
    /// - Throws: `-32602` for any cursor: this listing has one page and issues none.
    package func list(cursor token: String?, version: ProtocolVersion) throws(JSONRPCError) -> JSONValue {
        guard token == nil else { throw .invalidParams("invalid cursor for resources/list: it has one page") }
        let entries = [entry(uri: "pulse://matrix", name: "matrix", title: "Platform support matrix",
                             description: "The governed support matrix: every platform and surface.", version: version)]
            + services.gate.manifest.platforms.map { platform in
                entry(uri: "pulse://platform/\(platform.id)", name: platform.id.rawValue,
                      title: "\(platform.displayName) (platform support row)", description: platform.statement, version: version)
            }
        return ["resources": .array(entries)]
    }

    /// `resources/read`.
    ///
    /// - Throws: `-32002` for a URI that names nothing.
    package func read(uri: String, context: ToolContext) throws(JSONRPCError) -> JSONValue {
        let content: JSONValue
        if uri == "pulse://matrix" {
            content = try structured(platformTool, ["detail": true], context: context, uri: uri)
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
    package static func uri(forResource id: String) -> String {
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
