import Logging
import Synchronization

/// A log that keeps every line, level and metadata included, for checking what was (not) logged.
final class CapturingLog: Sendable {
    private let lines = Mutex<[(level: Logger.Level, text: String)]>([])

    /// A logger writing here, at `level`.
    func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test.pulse") { _ in Handler(log: self) }
        logger.logLevel = level
        return logger
    }

    var all: [(level: Logger.Level, text: String)] { lines.withLock { $0 } }

    fileprivate func append(_ level: Logger.Level, _ text: String) {
        lines.withLock { $0.append((level, text)) }
    }

    private struct Handler: LogHandler {
        let log: CapturingLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append(event.level, "\(event.message) \(merged)")
        }
    }
}
