extension String {
    /// The text with every occurrence of `secret` masked: an endpoint that echoes the token must not leak it into messages.
    func redacting(_ secret: String) -> String {
        secret.isEmpty ? self : replacing(secret, with: "[token]")
    }

    /// The text without leading and trailing whitespace or newlines.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
