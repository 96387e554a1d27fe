import ControlEndpoints
import JSON
import JSONRPC
import Testing

@Suite("SecretMasker")
struct SecretMaskerTests {
    @Test("every occurrence of every secret is masked, the longer first", arguments: [
        // (secrets, text, masked)
        (["abc123"], "x abc123 y abc123", "x [token] y [token]"),
        (["abc123", "abc123-long"], "abc123-long", "[token]"),
        (["tök€n"], "é tök€n é", "é [token] é"),
        (["aaa"], "aaaa", "[token]a"),
        ([""], "text", "text"),
        (["s3cret"], "no secret here", "no secret here"),
    ] as [([String], String, String)])
    func masksText(secrets: [String], text: String, masked: String) {
        let masker = SecretMasker(secrets)
        #expect(masker.mask(text) == masked)
        #expect(masker.reveals(text) == (text != masked))
    }

    @Test("strings and keys of a JSON value are masked at any depth")
    func masksJSON() {
        let masker = SecretMasker(["s3cret"])
        let value: JSONValue = ["a": ["b": "x s3cret"], "s3cret": [1, "s3cret", true]]
        #expect(masker.mask(value) == ["a": ["b": "x [token]"], "[token]": [1, "[token]", true]])
    }

    @Test("KnownSecrets keeps every value it was told, old and new")
    func remembers() {
        let known = KnownSecrets(["old-token"])
        known.remember("new-token")
        known.remember("")
        #expect(known.masker.mask("old-token new-token") == "[token] [token]")
        #expect(known.masker.secrets.count == 2)
    }
}
