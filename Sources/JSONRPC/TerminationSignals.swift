#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@preconcurrency import Dispatch

/// Turns SIGTERM and SIGINT into a call, and makes SIGPIPE harmless.
///
/// A server stopped by its host gets SIGTERM; it should stop reading, answer
/// what it has read, and exit 0 — not die mid-write. A closed stdout must be a
/// failed write (handled by ``OutputWriter``), not a fatal SIGPIPE.
public final class TerminationSignals: @unchecked Sendable {
    // Unchecked: the sources are set once in init and only cancelled in deinit.
    private let sources: [any DispatchSourceSignal]

    /// Calls `action` on the first SIGTERM or SIGINT, on a private queue.
    public init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGPIPE, SIG_IGN)
        let queue = DispatchQueue(label: "jsonrpc.signals")
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler(handler: action)
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
