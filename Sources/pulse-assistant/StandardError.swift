import Foundation

/// Writes for people on stderr; stdout belongs to the protocol or to the command's result.
enum StandardError {
    static func write(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
