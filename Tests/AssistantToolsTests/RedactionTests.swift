import AssistantTools
import JSON
import Testing

@Suite("redaction")
struct RedactionTests {
    @Test("values under secret keys are masked, in any case and spelling", arguments: [
        "token", "accessToken", "X_API_KEY", "api-key", "apiKey", "Password", "passwd", "client_secret", "Authorization",
        "credentials", "Cookie", "private_key", "privateKey",
    ])
    func secretKeys(key: String) {
        let pairs: [(String, JSONValue)] = [(key, .string("s3cr3t-value")), ("id", .string("vm/1"))]
        let inner = JSONValue.object(JSONObject(pairs))
        let redacted = Redaction.redact(.object(JSONObject([("outer", inner)])))
        #expect(redacted["outer"]?[key] == Redaction.mask)
        #expect(redacted["outer"]?["id"] == "vm/1")
    }

    @Test("credentials inside strings are masked, ordinary words are not", arguments: [
        ("curl -H 'Authorization: Bearer abc123def456'", "curl -H 'Authorization: Bearer [redacted]'"),
        ("Basic dXNlcjpwYXNzd29yZA==", "Basic [redacted]"),
        ("basic maintenance window", "basic maintenance window"),
        ("the bearer of bad news", "the bearer of bad news"),
        ("restart web-01", "restart web-01"),
    ])
    func strings(text: String, expected: String) {
        #expect(Redaction.redact(.string(text)) == .string(expected))
    }

    @Test("a JSON Web Token is masked whole, and a transcript keeps its progressToken")
    func webTokensAndMessages() {
        #expect(Redaction.redact(.string("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")) == Redaction.mask)
        let message: JSONValue = [
            "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": ["name": "get_resource", "arguments": ["id": "vm/1", "token": "t"], "_meta": ["progressToken": "p-1"]],
        ]
        let redacted = Redaction.redactMessage(message)
        #expect(redacted["params"]?["arguments"]?["token"] == Redaction.mask)
        #expect(redacted["params"]?["_meta"]?["progressToken"] == "p-1")
    }
}
