import Crypto
import JSON

/// One tool call as the audit keeps it, chained to the record before it by SHA-256.
///
/// `hash` is the SHA-256 of ``canonical`` — every field but `seq` and `hash`, `previousHash` included,
/// as compact JSON with sorted keys — so changing any field, or the record it follows, breaks the
/// chain. `seq` is left out of the hash on purpose: a record moved to another place keeps a valid
/// hash of its own, which is how ``AuditVerifier`` tells a reordering from an edit.
package struct AuditRecord: Sendable, Equatable {
    /// The `previousHash` of the first record.
    package static let genesis = String(repeating: "0", count: 64)

    /// The position in the chain, from 1; 0 until appended.
    package var seq: Int64
    /// Milliseconds since 1970, by the server's injected clock.
    package var at: Int64
    package var session: String
    package var clientName: String
    package var clientVersion: String
    package var tool: String
    /// The call's arguments with secrets redacted (JSON object text).
    package var arguments: String
    /// The resource the call was about, when it named one.
    package var resourceId: String?
    /// `ok`, `refused`, `routed`, `executed`, `failed` or `error`.
    package var outcome: String
    package var controlClass: String?
    /// The agent or connection a control action went to.
    package var route: String?
    /// The reason code: a refusal code, an endpoint failure code, or a protocol error code.
    package var code: String?
    package var actionId: String?
    /// On the `pulse` route, Pulse's side of the action as it ended (JSON object text):
    /// `{"actionId": "act_…", "state": "completed", "verification": {"status", "evidenceClass", "summary"}}`.
    /// Hashed only when present, so records written before it existed keep their hashes.
    package var pulse: String?
    package var durationMicroseconds: Int64
    package var previousHash: String
    package var hash: String

    package init(
        at: Int64, session: String, clientName: String, clientVersion: String, tool: String, arguments: String,
        resourceId: String? = nil, outcome: String, controlClass: String? = nil, route: String? = nil,
        code: String? = nil, actionId: String? = nil, pulse: String? = nil, durationMicroseconds: Int64
    ) {
        self.seq = 0
        self.at = at
        self.session = session
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.tool = tool
        self.arguments = arguments
        self.resourceId = resourceId
        self.outcome = outcome
        self.controlClass = controlClass
        self.route = route
        self.code = code
        self.actionId = actionId
        self.pulse = pulse
        self.durationMicroseconds = durationMicroseconds
        self.previousHash = Self.genesis
        self.hash = ""
    }

    /// The bytes the hash covers: `{"actionId":…,"arguments":…,…}`, keys in order, no spaces, absent
    /// values as `null` (except `pulse`, left out when absent). Written straight into bytes: it is built
    /// for every tool call.
    package var canonical: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + arguments.utf8.count)
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        func text(_ name: StaticString, _ value: String?) {
            key(name)
            if let value { JSONSerializer.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        func number(_ name: StaticString, _ value: Int64) {
            key(name)
            JSONSerializer.appendInteger(value, to: &out)
        }
        text("actionId", actionId)
        text("arguments", arguments)
        number("at", at)
        text("clientName", clientName)
        text("clientVersion", clientVersion)
        text("code", code)
        text("controlClass", controlClass)
        number("durationMicroseconds", durationMicroseconds)
        text("outcome", outcome)
        text("previousHash", previousHash)
        if let pulse { text("pulse", pulse) }
        text("resourceId", resourceId)
        text("route", route)
        text("session", session)
        text("tool", tool)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The SHA-256 of ``canonical``, as 64 lowercase hex digits.
    package var computedHash: String {
        Self.hash(of: canonical)
    }

    /// The SHA-256 of `bytes`, as 64 lowercase hex digits.
    static func hash(of bytes: [UInt8]) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The record as `audit list --format json` and `audit export` write it.
    package var json: JSONValue {
        var object: JSONObject = [
            "seq": .integer(seq), "at": .integer(at), "session": .string(session), "clientName": .string(clientName),
            "clientVersion": .string(clientVersion), "tool": .string(tool),
        ]
        object["arguments"] = (try? JSONParser.parse(arguments)) ?? .string(arguments)
        object.setIfPresent("resourceId", resourceId.map(JSONValue.string))
        object["outcome"] = .string(outcome)
        object.setIfPresent("controlClass", controlClass.map(JSONValue.string))
        object.setIfPresent("route", route.map(JSONValue.string))
        object.setIfPresent("code", code.map(JSONValue.string))
        object.setIfPresent("actionId", actionId.map(JSONValue.string))
        object.setIfPresent("pulse", pulse.flatMap { try? JSONParser.parse($0) })
        object["durationMicroseconds"] = .integer(durationMicroseconds)
        object["previousHash"] = .string(previousHash)
        object["hash"] = .string(hash)
        return .object(object)
    }
}
