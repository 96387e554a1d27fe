import Policy

/// The closed vocabularies of the snapshot format (DESIGN §3) and the small shape checks on its strings.
///
/// Lists are ordered, because error messages quote them: an operator reads "must be one of online,
/// offline, warning, unknown" in the order the design gives.
package enum SnapshotVocabulary {
    static let statuses = ResourceStatus.words
    static let powerStates = PowerState.words
    static let severities = AlertSeverity.words
    static let recoveryKinds = RecoveryKind.words

    /// Runtime variants people write as a platform, and the platform that owns each
    /// (seed, Runtime Variants): the fix is `technology`, under the owner.
    static let runtimeVariants: [String: PlatformID] = [
        "podman": "docker",
        "qemu": "proxmox-pve",
        "lxc": "proxmox-pve",
    ]

    /// Words that make a field name look like a credential, matched in the ASCII-lowercased name
    /// with `-` and `_` removed, so that `apiKey`, `api_key`, `adminPassword` and `X-Auth-Token` all match.
    private static let secretWords: [[UInt8]] = ["token", "password", "secret", "apikey"].map { Array($0.utf8) }

    /// Whether a field name looks like it carries a credential: a snapshot never does, since an
    /// endpoint's token comes from the environment or a file named in configuration.
    ///
    /// Byte arithmetic rather than `lowercased()`/`contains`, and no allocation: it runs for every
    /// key of every resource's details.
    package static func looksSecret(_ key: String) -> Bool {
        // The last eight folded bytes in a register, compared only when a byte ends one of the words.
        var window: UInt64 = 0
        var count = 0
        for byte in key.utf8 where byte != UInt8(ascii: "-") && byte != UInt8(ascii: "_") {
            let folded = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            window = (window << 8) | UInt64(folded)
            count += 1
            switch folded {
            case UInt8(ascii: "n") where count >= 5 && window & 0xFF_FFFF_FFFF == SecretWord.token: return true
            case UInt8(ascii: "d") where count >= 8 && window == SecretWord.password: return true
            case UInt8(ascii: "t") where count >= 6 && window & 0xFFFF_FFFF_FFFF == SecretWord.secret: return true
            case UInt8(ascii: "y") where count >= 6 && window & 0xFFFF_FFFF_FFFF == SecretWord.apikey: return true
            default: continue
            }
        }
        return false
    }

    /// ``secretWords`` packed big-endian into integers, as the window of ``looksSecret(_:)`` holds them.
    private enum SecretWord {
        static let token = packed("token")
        static let password = packed("password")
        static let secret = packed("secret")
        static let apikey = packed("apikey")

        private static func packed(_ word: String) -> UInt64 {
            precondition(secretWords.contains(Array(word.utf8)))
            return word.utf8.reduce(0) { ($0 << 8) | UInt64($1) }
        }
    }

    /// Whether `text` is a control endpoint: `unix:/absolute/path` or `tcp:host:port`
    /// (`tcp:[::1]:7701` for IPv6), with a port in 1…65535; or `pulse:{agentId}`, an agent reached
    /// only through the Pulse server the store was synced from.
    static func isEndpoint(_ text: String) -> Bool {
        if text.hasPrefix("pulse:") {
            return text.count > 6 && !text.contains(where: { $0.isWhitespace || $0.isNewline })
        }
        if text.hasPrefix("unix:") {
            let path = text.dropFirst(5)
            return path.count > 1 && path.hasPrefix("/")
        }
        guard text.hasPrefix("tcp:") else { return false }
        let address = text.dropFirst(4)
        guard let colon = address.lastIndex(of: ":") else { return false }
        let host = address[..<colon]
        let port = address[address.index(after: colon)...]
        guard let number = Int(port), (1...65_535).contains(number), port.allSatisfy(\.isASCII) else { return false }
        if host.hasPrefix("[") {
            return host.count > 2 && host.hasSuffix("]")
        }
        return !host.isEmpty && !host.contains(":") && !host.contains(where: \.isWhitespace)
    }

    /// `a, b, c`: how lists appear in messages.
    static func list(_ words: some Sequence<String>) -> String {
        words.joined(separator: ", ")
    }
}
