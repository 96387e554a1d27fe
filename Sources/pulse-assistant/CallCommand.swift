import ArgumentParser
import AssistantTools
import Foundation
import JSON
import JSONRPC

/// `pulse-assistant call`: one tool call, in process, printed for people.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call one tool in process and print its result: what an assistant would see.",
        discussion: """
            Runs the same tool code as the server, without a client (so under --control-level controlled no \
            human can be asked, and control calls are refused approval_unavailable). The structured result is \
            printed as indented JSON on stdout; a tool error (isError) is printed on stderr and exits 1. \
            Example: pulse-assistant call search_resources '{"types":["vm"],"statuses":["online"],"limit":5}'
            """
    )

    @Argument(help: "The tool, e.g. get_resource.")
    var tool: String

    @Argument(help: ArgumentHelp("The tool's arguments as a JSON object (default {}).", valueName: "json-arguments"))
    var arguments: String = "{}"

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var manifestOptions: ManifestOptions
    @OptionGroup var controlOptions: ControlOptions
    @OptionGroup var auditOptions: AuditOptions

    func run() async throws {
        StandardError.bootstrapLogging(level: .warning)
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(arguments)
        } catch {
            throw ValidationError("the arguments are not JSON: \(error)")
        }
        let manifest = try manifestOptions.load()
        let control = try controlOptions.control()
        let stores = try storeOptions.provider(manifest: manifest, now: control.clock.timestamp)
        let registry = ToolRegistry(AssistantServer.tools(manifest: manifest, stores: stores, control: control))
        let client = ClientInfo(name: "pulse-assistant call", version: AssistantServer.version, capabilities: JSONObject())
        let context = ToolContext(requestID: .integer(1), protocolVersion: .latest, client: client, progressToken: nil, peer: NoPeer())
        let audit = AuditTrail(stores: stores, scope: auditOptions.audit, session: AuditTrail.newSession(), clock: control.clock)
        let started = ContinuousClock.now
        let answer: Result<JSONValue, JSONRPCError>
        do throws(JSONRPCError) {
            answer = .success(try await registry.call(tool, arguments: parsed, context: context))
        } catch {
            answer = .failure(error)
        }
        let result: JSONValue
        do {
            // Like the server: the call is on the record before its answer is shown.
            try audit.record(tool: tool, arguments: parsed, client: client, answer: answer, duration: ContinuousClock.now - started)
            result = try answer.get()
        } catch {
            StandardError.write("\(tool): \(error.message)")
            throw ExitCode(2)
        }
        if result["isError"] == true {
            // A refused or failed control action still carries its record: show it whole.
            let said = result["structuredContent"].map { JSONSerializer.pretty($0) }
                ?? result["content"]?.arrayValue?.first?["text"]?.stringValue ?? "the tool failed"
            StandardError.write(said)
            throw ExitCode(1)
        }
        print(JSONSerializer.pretty(result["structuredContent"] ?? .null), terminator: "")
    }
}

/// A call made from the command line has no client to notify or ask.
struct NoPeer: Peer {
    func notify(_ notification: JSONRPC.Notification) {}

    func request(_ method: String, params: JSONValue?) async throws(JSONRPCError) -> JSONValue {
        throw .internalError("no client is connected to answer \(method)")
    }

    func cancel(_ id: RequestID) {}
}
