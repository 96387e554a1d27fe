/// The snapshot validator's test for a field name that looks like a credential
/// (`SnapshotVocabulary.looksSecret`: `token`, `password`, `secret` or `apikey` in the
/// ASCII-lowercased name with `-` and `_` removed), done without allocating.
///
/// The mapping asks it for every key of every facet of every row (hundreds per row), so it keeps
/// the last eight folded bytes in a register and compares only when a byte ends one of the
/// words. A test holds it equal to the validator's on every key of the fixtures.
enum PulseSecretKey {
    static func matches(_ key: String) -> Bool {
        var window: UInt64 = 0
        var count = 0
        for byte in key.utf8 where byte != UInt8(ascii: "-") && byte != UInt8(ascii: "_") {
            let folded = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            window = (window << 8) | UInt64(folded)
            count += 1
            switch folded {
            case UInt8(ascii: "n") where count >= 5 && window & mask(5) == token: return true
            case UInt8(ascii: "d") where count >= 8 && window == password: return true
            case UInt8(ascii: "t") where count >= 6 && window & mask(6) == secret: return true
            case UInt8(ascii: "y") where count >= 6 && window & mask(6) == apikey: return true
            default: continue
            }
        }
        return false
    }

    /// The low `bytes` bytes of the window.
    private static func mask(_ bytes: Int) -> UInt64 {
        bytes >= 8 ? ~0 : (1 << (UInt64(bytes) * 8)) - 1
    }

    private static func packed(_ word: String) -> UInt64 {
        word.utf8.reduce(0) { ($0 << 8) | UInt64($1) }
    }

    private static let token = packed("token")
    private static let password = packed("password")
    private static let secret = packed("secret")
    private static let apikey = packed("apikey")
}
