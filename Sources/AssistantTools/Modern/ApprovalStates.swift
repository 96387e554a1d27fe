import Crypto
import Foundation
import JSON
import JSONRPC
import Synchronization

/// Mints and checks the sealed `requestState` of approvals, and keeps each one single-use.
///
/// The claims (as the SDK's `request_state.py` names them): `v` 1, `iat`/`exp` in seconds (TTL 600 s,
/// 60 s of skew), `m` the method, `t` the tool, `a` the SHA-256 of the canonical arguments, `aud` the
/// server, `p` a hash of the client, `s` the approval's id. A state that fails any check is refused
/// -32602 with the reason in the log only; an approval id answered once is never honoured again.
final class ApprovalStates: Sendable {
    static let ttlSeconds: Int64 = 600
    static let skewSeconds: Int64 = 60
    static let audience = "pulse-assistant"

    private let sealer: RequestStateSealer
    private let clock: ServerClock
    private let state = Mutex<(next: Int, redeemed: [String: Int64])>((1, [:]))

    init(sealer: RequestStateSealer, clock: ServerClock) {
        self.sealer = sealer
        self.clock = clock
    }

    static let invalid = JSONRPCError(
        code: JSONRPCError.invalidParamsCode, message: "Invalid or expired requestState", data: ["reason": "invalid_request_state"]
    )

    /// A new state for an approval of `tool` with `arguments` by `client`.
    func mint(tool: String, arguments: JSONValue?, client: ClientInfo) throws(JSONRPCError) -> String {
        let now = clock.milliseconds() / 1000
        let id = state.withLock { state in
            defer { state.next += 1 }
            return "apv-\(state.next)"
        }
        let claims: JSONValue = [
            "v": 1, "iat": .integer(now), "exp": .integer(now + Self.ttlSeconds), "m": "tools/call", "t": .string(tool),
            "a": .string(Self.digest(arguments)), "aud": .string(Self.audience), "p": .string(Self.principal(client)), "s": .string(id),
        ]
        return try sealer.seal(JSONSerializer.bytes(claims))
    }

    /// The approval id of `token` when it was minted here, unaltered and unexpired, for this very
    /// call; `nil` (logged by the caller) otherwise.
    func verify(_ token: String, tool: String, arguments: JSONValue?, client: ClientInfo) -> Result<String, Rejection> {
        guard let payload = sealer.open(token), let claims = try? JSONParser.parse(payload) else { return .failure(.seal) }
        let now = clock.milliseconds() / 1000
        guard claims["v"]?.integerValue == 1, let iat = claims["iat"]?.integerValue, let exp = claims["exp"]?.integerValue,
              let id = claims["s"]?.stringValue
        else { return .failure(.malformed) }
        guard iat <= now + Self.skewSeconds, now < exp else { return .failure(.expired) }
        guard claims["aud"]?.stringValue == Self.audience, claims["m"]?.stringValue == "tools/call" else { return .failure(.audience) }
        guard claims["t"]?.stringValue == tool else { return .failure(.otherTool) }
        guard claims["a"]?.stringValue == Self.digest(arguments) else { return .failure(.otherArguments) }
        guard claims["p"]?.stringValue == Self.principal(client) else { return .failure(.otherClient) }
        guard state.withLock({ $0.redeemed[id] == nil }) else { return .failure(.used) }
        return .success(id)
    }

    /// Marks approval `id` as answered; false when it already was (a concurrent replay).
    func redeem(_ id: String) -> Bool {
        let now = clock.milliseconds() / 1000
        return state.withLock { state in
            guard state.redeemed[id] == nil else { return false }
            // Expired ids can no longer be presented: forget them.
            state.redeemed = state.redeemed.filter { $0.value > now }
            state.redeemed[id] = now + Self.ttlSeconds + Self.skewSeconds
            return true
        }
    }

    /// Why a state was refused: for the log, never for the wire.
    enum Rejection: String, Error {
        case seal, malformed, expired, audience, otherTool = "other tool", otherArguments = "other arguments"
        case otherClient = "other client", used = "already used"
    }

    /// base64url(SHA-256 of the arguments with sorted keys)[0..<16 bytes], as the SDK digests them.
    static func digest(_ arguments: JSONValue?) -> String {
        let canonical = sorted(arguments.map { $0.isNull ? [:] : $0 } ?? [:])
        return RequestStateSealer.base64url(Data(SHA256.hash(data: JSONSerializer.bytes(canonical)).prefix(16)))
    }

    static func principal(_ client: ClientInfo) -> String {
        let text = "mcp/request-state/principal:\(client.name)\u{0}\(client.version)"
        return RequestStateSealer.base64url(Data(SHA256.hash(data: Data(text.utf8)).prefix(16)))
    }

    private static func sorted(_ value: JSONValue) -> JSONValue {
        switch value.plain {
        case .object(let object):
            return .object(JSONObject(object.keys.sorted().compactMap { key in object[key].map { (key, sorted($0)) } }))
        case .array(let items):
            return .array(items.map(sorted))
        case let other:
            return other
        }
    }
}
