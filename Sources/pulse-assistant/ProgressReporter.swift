import Foundation
import ResourceStore
import Synchronization

/// Ingest progress on stderr: a redrawn bar on a terminal, a line every few seconds otherwise.
final class ProgressReporter: Sendable {
    private let label: String
    private let interactive = isatty(2) == 1
    private let state = Mutex<(lastLine: ContinuousClock.Instant?, drawn: Bool)>((nil, false))

    init(label: String) {
        self.label = label
    }

    func report(_ progress: IngestProgress) {
        let now = ContinuousClock.now
        let line = describe(progress)
        state.withLock { state in
            if interactive {
                StandardError.writeRaw("\r\u{1B}[2K" + line)
                state.drawn = true
            } else if progress.phase != .reading || state.lastLine.map({ now - $0 >= .seconds(2) }) ?? true {
                StandardError.write(line)
                state.lastLine = now
            }
        }
    }

    /// Ends the bar's line, if one was drawn.
    func finish() {
        state.withLock { state in
            if state.drawn { StandardError.writeRaw("\n") }
            state.drawn = false
        }
    }

    private func describe(_ progress: IngestProgress) -> String {
        let records = "\(progress.recordsRead) records"
        guard let fraction = progress.fractionRead, progress.phase == .reading else {
            return "\(label): \(progress.phase.rawValue), \(records)"
        }
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "\(label): [\(bar)] \(Int(fraction * 100))% \(records)"
    }
}
