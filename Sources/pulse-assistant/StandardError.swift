import Foundation
import Logging

/// Writes for people on stderr; stdout belongs to the protocol or to the command's result.
enum StandardError {
    static func write(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

extension StandardError {
    /// Writes `text` as is, without adding a newline.
    static func writeRaw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Sends every log line to stderr at `level` and above: stdout is the protocol's, or the result's.
    static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
