import JSON
import JSONRPC
import Synchronization

/// The tools a server offers, in the stable order `tools/list` shows them.
///
/// The registry is the one path every `tools/call` takes: it finds the tool,
/// checks the arguments against the tool's input schema, runs the handler,
/// and shapes the answer (`structuredContent` plus a text block of the same
/// JSON, or an `isError` result that says what was wrong).
package struct ToolRegistry: Sendable {
    package let tools: [any Tool]
    /// Declarations are built once: the request path only reads them.
    package let descriptors: [ToolDescriptor]
    private let index: [String: Int]
    /// Which tools may answer on the reading thread, decided once rather than by a dynamic cast per call:
    /// ``InlineTool``s that declare themselves read-only and closed-world (``mayRunInline(_:)``).
    private let inline: [Bool]
    /// Inline tools that took longer than ``inlineBudget`` once: they run as tasks from then on.
    private let demoted: InlineDemotions
    /// How long an inline call may keep the reading thread: a point lookup takes well under a millisecond.
    package static let inlineBudget: Duration = .milliseconds(50)
    /// The descriptors `tools/list` shows: all but the unlisted ones.
    private let listed: [ToolDescriptor]
    /// For a store a sync keeps up to date: what every read answer says about the data's age.
    private let freshness: DataFreshness?

    /// - Parameter unlisted: tools that answer `tools/call` but are not shown by `tools/list`
    ///   (`control_resource` under the read-only level: refused, and on the record, if called anyway).
    /// - Precondition: tool names are unique; a duplicate keeps the first.
    /// - Parameter freshness: for a synced store, stamped on every read tool's answer
    ///   (`dataAsOf`, `stale`, and a `dataNote` when the data is old or missing).
    package init(_ tools: [any Tool], unlisted: Set<String> = [], freshness: DataFreshness? = nil) {
        self.freshness = freshness
        var index: [String: Int] = [:]
        var kept: [any Tool] = []
        for tool in tools where index[tool.descriptor.name] == nil {
            index[tool.descriptor.name] = kept.count
            kept.append(tool)
        }
        self.tools = kept
        self.descriptors = kept.map(\.descriptor)
        self.index = index
        self.inline = kept.map(Self.mayRunInline)
        self.demoted = InlineDemotions(count: kept.count)
        self.listed = descriptors.filter { !unlisted.contains($0.name) }
    }

    /// Whether `tools/list` shows `name` (it is served and not unlisted).
    package func lists(_ name: String) -> Bool {
        listed.contains { $0.name == name }
    }

    package func tool(named name: String) -> (any Tool)? {
        index[name].map { tools[$0] }
    }

    /// One page of `tools/list`, starting after `cursor`.
    ///
    /// - Throws: `-32602` for a cursor this listing did not issue.
    package func list(cursor: String?, pageSize: Int, version: ProtocolVersion) throws(JSONRPCError) -> JSONValue {
        var start = 0
        if let cursor {
            guard let decoded = Cursor(token: cursor, listing: "tools/list"),
                  let offset = Int(decoded.position), (0...listed.count).contains(offset)
            else { throw .invalidParams("invalid cursor for tools/list: \"\(cursor.prefix(64))\"") }
            start = offset
        }
        let end = min(listed.count, start + max(1, pageSize))
        var result: JSONObject = ["tools": .array(listed[start..<end].map { $0.listing(for: version) })]
        if end < listed.count {
            result["nextCursor"] = .string(Cursor(listing: "tools/list", position: String(end)).token)
        }
        return .object(result)
    }

    /// Whether a call of `name` is answered on the reading thread: an inline tool not demoted (an
    /// unknown name too, answered at once with its error).
    package func runsInline(_ name: String) -> Bool {
        index[name].map { inline[$0] && !demoted.contains($0) } ?? true
    }

    /// The registry's check of the fast path: a tool runs inline only when it is an ``InlineTool`` that
    /// declares it only reads, and reads nothing outside the server (`readOnly`, not `openWorld`).
    /// Anything that may write or wait on the world runs as a task, whatever it declares.
    package static func mayRunInline(_ tool: any Tool) -> Bool {
        tool is any InlineTool && tool.descriptor.annotations.readOnly && !tool.descriptor.annotations.openWorld
    }

    /// Runs `tools/call` for `name` with `arguments`.
    ///
    /// - Throws: `-32602` for an unknown tool or arguments that are not an
    ///   object; `-32603` when the tool fails internally. A bad argument is
    ///   not thrown: it is an `isError` result naming the argument.
    package func call(_ name: String, arguments: JSONValue?, context: ToolContext) async throws(JSONRPCError) -> JSONValue {
        switch try prepare(name, arguments) {
        case .invalid(let result):
            return result
        case .ready(let tool, let object):
            do throws(ToolError) {
                return ToolResult.success(stamped(try await tool.call(object, context: context), by: tool), version: context.protocolVersion)
            } catch {
                return try Self.answer(error, version: context.protocolVersion)
            }
        }
    }

    /// Runs an ``InlineTool`` synchronously; any other tool is `-32603` here.
    package func callInline(_ name: String, arguments: JSONValue?, context: ToolContext) throws(JSONRPCError) -> JSONValue {
        switch try prepare(name, arguments) {
        case .invalid(let result):
            return result
        case .ready(let tool, let object):
            guard let inline = tool as? any InlineTool, let position = index[name], self.inline[position] else {
                throw .internalError("\(name) does not run inline")
            }
            let started = ContinuousClock.now
            defer {
                if ContinuousClock.now - started > Self.inlineBudget { demoted.insert(position) }
            }
            do throws(ToolError) {
                return ToolResult.success(stamped(try inline.respond(object, context: context), by: tool), version: context.protocolVersion)
            } catch {
                return try Self.answer(error, version: context.protocolVersion)
            }
        }
    }

    /// A read tool's answer with the data's age, when the store is synced.
    private func stamped(_ answer: JSONValue, by tool: any Tool) -> JSONValue {
        guard let freshness, tool.descriptor.annotations.readOnly else { return answer }
        switch answer {
        case .object(var object):
            for (key, value) in freshness.stamp {
                object[key] = value
            }
            return .object(object)
        case .serialized(let serialized):
            return serialized.appending(freshness.stamp).map(JSONValue.serialized) ?? answer
        default:
            return answer
        }
    }

    private enum Prepared {
        case ready(any Tool, JSONObject)
        /// The arguments fail the input schema: the `isError` result listing every violation.
        case invalid(JSONValue)
    }

    /// Finds the tool, reads "not given" values as absent, and checks the rest against its input schema.
    private func prepare(_ name: String, _ arguments: JSONValue?) throws(JSONRPCError) -> Prepared {
        guard let position = index[name] else {
            let known = listed.map(\.name).joined(separator: ", ")
            throw .invalidParams("unknown tool \"\(name.prefix(100))\"; known tools: \(known)")
        }
        let object: JSONObject
        switch arguments {
        case nil, .null?: object = JSONObject()
        case .object(let value)?: object = value
        case let other?: throw .invalidParams("tool arguments must be an object, got \(other.typeName)")
        }
        // null, "" and [] are "not given" (ArgumentNormalizer); what is left must match the schema.
        let schema = descriptors[position].inputSchema
        let normalized = ArgumentNormalizer.normalize(object, schema: schema)
        let report = SchemaValidator.report(of: .object(normalized), against: schema)
        guard report.isEmpty else {
            return .invalid(ToolResult.error("Invalid arguments for \(name): \(report.text)."))
        }
        return .ready(tools[position], normalized)
    }

    private static func answer(_ error: ToolError, version: ProtocolVersion) throws(JSONRPCError) -> JSONValue {
        switch error {
        case .rejected(let message): return ToolResult.error(message)
        case .reported(let structured): return ToolResult.failure(structured, version: version)
        case .internalFailure(let message): throw .internalError(message)
        }
    }
}

/// The inline tools found slower than ``ToolRegistry/inlineBudget``; shared by every copy of a registry.
final class InlineDemotions: Sendable {
    private let flags: Mutex<[Bool]>

    init(count: Int) {
        flags = Mutex(Array(repeating: false, count: count))
    }

    func contains(_ position: Int) -> Bool {
        flags.withLock { $0[position] }
    }

    func insert(_ position: Int) {
        flags.withLock { $0[position] = true }
    }
}
