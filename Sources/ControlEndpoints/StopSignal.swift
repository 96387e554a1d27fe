#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-shot signal every blocking wait of a server can include in its `poll(2)`.
///
/// A pipe: ``signal()`` writes one byte and nobody ever reads it, so the read
/// end stays readable and every current and later wait sees the stop at once.
final class StopSignal: Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init() {
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) == 0 {
            _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        POSIX.closeDescriptor(readDescriptor)
        POSIX.closeDescriptor(writeDescriptor)
    }

    /// Wakes every waiter, now and from now on. Safe to call more than once.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    var isSignalled: Bool {
        var descriptor = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// Sleeps until `deadline` without spinning; true when woken by the signal instead.
    func wait(until deadline: Deadline) -> Bool {
        while true {
            var descriptor = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, deadline.pollTimeout)
            if ready > 0 { return true }
            if ready < 0, errno == EINTR { continue }
            if deadline.hasPassed || ready < 0 { return false }
        }
    }
}
