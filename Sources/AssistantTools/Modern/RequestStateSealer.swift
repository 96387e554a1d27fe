import Crypto
import Foundation
import JSONRPC
import Synchronization

/// Seals and opens the `requestState` of a multi-round-trip approval (MCP 2026-07-28).
///
/// The state comes back from the client, which may have altered it, so it is encrypted and
/// authenticated, as the official SDK's `request_state.py` does it:
///
/// ```
/// key   = HKDF-SHA256(secret ≥ 32 bytes, info "mcp/request-state/v1/aes-256-gcm") → AES-256
/// kid   = SHA-256("mcp/request-state/v1/kid:" ‖ key)[0..<4]
/// token = "v1." + base64url(kid ‖ nonce(12) ‖ ciphertext ‖ tag(16)),  AAD "v1." ‖ kid
/// ```
///
/// The secret is the process's own (random at start; fixed by the transcript replay), and the nonce
/// is a counter under it, so no request path draws randomness and a replay seals the same bytes. A
/// counter never repeats under one key: the key is new in every process.
package final class RequestStateSealer: Sendable {
    static let prefix = "v1."
    private static let kdfInfo = Data("mcp/request-state/v1/aes-256-gcm".utf8)
    private static let kidInfo = Data("mcp/request-state/v1/kid:".utf8)

    private let key: SymmetricKey
    private let kid: Data
    /// For the keyed handles of tasks (``handle(_:)``): derived apart, so no handle reveals the sealing key.
    private let handleKey: SymmetricKey
    private static let handleInfo = Data("pulse-assistant/task-handle/v1/hmac-sha256".utf8)
    private let counter = Mutex<UInt64>(0)

    /// - Precondition: `secret` has at least 32 bytes (shorter ones are stretched all the same, but
    ///   the CLI never passes one).
    package init(secret: [UInt8]) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Self.kdfInfo, outputByteCount: 32)
        let raw = key.withUnsafeBytes { Data($0) }
        kid = Data(SHA256.hash(data: Self.kidInfo + raw).prefix(4))
        handleKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Self.handleInfo, outputByteCount: 32)
    }

    /// base64url(HMAC-SHA256(the handle key, `text`))[0..<18 bytes]: an unguessable name for `text`,
    /// the same for the same key (a replay), unrelated under another.
    func handle(_ text: String) -> String {
        Self.base64url(Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: handleKey).prefix(18)))
    }

    /// A sealer under 32 random bytes: for a process that records nothing to replay.
    package static func ephemeral() -> RequestStateSealer {
        var generator = SystemRandomNumberGenerator()
        return RequestStateSealer(secret: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The fixed key of recorded and replayed sessions (`--record`, `--sequential-ids`), so that a
    /// transcript's states replay byte for byte. Known to anyone: never for a real client.
    package static var replay: RequestStateSealer {
        RequestStateSealer(secret: [UInt8](SHA256.hash(data: Data("pulse-assistant transcript replay request-state key".utf8))))
    }

    /// The token for `payload`.
    func seal(_ payload: [UInt8]) throws(JSONRPCError) -> String {
        let count = counter.withLock { value in
            value += 1
            return value
        }
        var nonceBytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { nonceBytes[4 + index] = UInt8(truncatingIfNeeded: count >> (8 * (7 - index))) }
        do {
            let nonce = try AES.GCM.Nonce(data: nonceBytes)
            let box = try AES.GCM.seal(payload, using: key, nonce: nonce, authenticating: aad)
            return Self.prefix + Self.base64url(kid + Data(nonceBytes) + box.ciphertext + box.tag)
        } catch {
            throw .internalError("sealing the request state failed")
        }
    }

    /// The payload of a token this sealer minted unaltered; nil for anything else.
    func open(_ token: String) -> [UInt8]? {
        guard token.hasPrefix(Self.prefix), let raw = Self.unbase64url(String(token.dropFirst(Self.prefix.count))),
              raw.count >= 4 + 12 + 16, raw.prefix(4) == kid
        else { return nil }
        let nonce = raw.dropFirst(4).prefix(12)
        let sealed = raw.dropFirst(16)
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: nonce), ciphertext: sealed.dropLast(16), tag: sealed.suffix(16)
            )
            return [UInt8](try AES.GCM.open(box, using: key, authenticating: aad))
        } catch {
            return nil
        }
    }

    private var aad: Data { Data(Self.prefix.utf8) + kid }

    static func base64url(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Strict: only the canonical unpadded form decodes.
    static func unbase64url(_ text: String) -> Data? {
        guard text.utf8.allSatisfy({ $0 == 45 || $0 == 95 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) })
        else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: standard), base64url(data) == text else { return nil }
        return data
    }
}
