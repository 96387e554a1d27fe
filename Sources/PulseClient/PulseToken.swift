import Foundation

/// A Pulse API token: sent as `X-API-Token` and nowhere else.
///
/// The value is readable only inside this module (by ``PulseHTTPClient`` when it builds a request).
/// Printing, interpolating, `dump`ing or reflecting a token shows `<redacted>`, so a token that
/// slips into a log line, an error or a test failure message still does not leak. It is neither
/// `Codable` nor `Equatable`: nothing should serialise it, and tests compare what a server received.
package struct PulseToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself.
    let value: String

    /// A token as read from `$PULSE_API_TOKEN` or the config file's `pulseToken`; surrounding
    /// whitespace (a trailing newline in a token file) is dropped. Nil when nothing is left.
    package init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.value = trimmed
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// `text` with every occurrence of the token replaced by `<redacted>`: for anything a server
    /// sends back (an error message that echoes the request) before it reaches an error or a log.
    func redacting(_ text: String) -> String {
        text.contains(value) ? text.replacingOccurrences(of: value, with: "<redacted>") : text
    }
}
