#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Turns SIGTERM and SIGINT into a call, and makes SIGPIPE harmless.
///
/// A server stopped by its host gets SIGTERM; it should stop reading, answer
/// what it has read, and exit 0 — not die mid-write. A closed stdout must be a
/// failed write (handled by ``OutputWriter``), not a fatal SIGPIPE.
///
/// The handler is installed with `sigaction` before `init` returns, so no
/// signal can slip through a window while it is being set up (a dispatch
/// signal source registers asynchronously, and a SIGTERM sent right after
/// start-up was lost in that gap). The handler itself only writes one byte to
/// a pipe — all it may safely do — and a thread waiting on the pipe calls the
/// action.
package final class TerminationSignals: Sendable {
    /// Installs the handlers; `action` runs once, on a private thread, at the first SIGTERM or SIGINT.
    package init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGPIPE, SIG_IGN)
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { return }
        terminationPipe = descriptors[1]
        let readEnd = descriptors[0]
        for number in [SIGTERM, SIGINT] {
            var handler = sigaction()
            #if canImport(Darwin)
            handler.__sigaction_u.__sa_handler = terminationHandler
            #else
            handler.__sigaction_handler.sa_handler = terminationHandler
            #endif
            sigemptyset(&handler.sa_mask)
            handler.sa_flags = SA_RESTART
            sigaction(number, &handler, nil)
        }
        DispatchQueue(label: "jsonrpc.signals").async {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 { break }
                if count < 0, errno == EINTR { continue }
                return
            }
            action()
        }
    }
}

/// The pipe the handler writes to; set once, before the handler is installed.
nonisolated(unsafe) private var terminationPipe: Int32 = -1

/// Async-signal-safe: one `write(2)` of one byte, errno preserved.
private func terminationHandler(_ signal: Int32) {
    let saved = errno
    var byte: UInt8 = 1
    _ = write(terminationPipe, &byte, 1)
    errno = saved
}
