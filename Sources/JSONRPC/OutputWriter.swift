import JSON
import Synchronization

/// The one place that writes to the protocol stream.
///
/// Each message is serialized, given its `\n`, and written whole under a
/// lock, so lines from concurrent responders never interleave. A write that
/// fails (the client closed its end) marks the stream broken: later messages
/// are dropped instead of raising `SIGPIPE` or blocking.
package final class OutputWriter: Sendable {
    private let descriptor: Int32
    private let state = Mutex(State())

    private struct State {
        var broken = false
        var onLine: (@Sendable ([UInt8]) -> Void)?
    }

    /// Writes to an open file descriptor (stdout is 1). The writer does not close it.
    package init(fileDescriptor: Int32) {
        self.descriptor = fileDescriptor
    }

    /// Calls `observer` with every line written, in wire order, under the
    /// writer's lock: for recording transcripts.
    package func observeLines(_ observer: @escaping @Sendable ([UInt8]) -> Void) {
        state.withLock { $0.onLine = observer }
    }

    /// Writes one message as one line. Returns false if the stream is broken.
    @discardableResult
    package func write(_ message: Message) -> Bool {
        JSONSerializer.withLine(message.jsonValue) { line in
            state.withLock { state in
                guard !state.broken else { return false }
                state.onLine?(Array(line))
                if !SystemIO.writeAll(descriptor, UnsafeRawBufferPointer(line)) {
                    state.broken = true
                    return false
                }
                return true
            }
        }
    }

    /// Whether a write has failed.
    package var isBroken: Bool {
        state.withLock { $0.broken }
    }
}
