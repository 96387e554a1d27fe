import AssistantTools
import Foundation
import Synchronization
import Testing

/// A config file that is a FIFO or a device is refused at once: a server never hangs at start on one.
@Suite("config file kinds")
struct ControlConfigFileKindTests {
    /// `load(path)` on a thread of its own, so that a read that blocks fails the test instead of hanging it.
    func load(_ path: String) throws -> Result<ControlConfigFile, ConfigError> {
        let outcome = Mutex<Result<ControlConfigFile, ConfigError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result { () throws(ConfigError) in try ControlConfigFile.load(path) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        try #require(done.wait(timeout: .now() + 5) == .success, "loading \(path) blocked")
        return try #require(outcome.withLock { $0 })
    }

    @Test("a FIFO and a device are not regular files")
    func notRegular() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-kinds-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("config.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [fifo, "/dev/zero"] {
            guard case .failure(let error) = try load(path) else {
                Issue.record("\(path) was read")
                continue
            }
            #expect(error.message.contains("is not a regular file"), "\(error)")
        }
    }
}
