import ControlEndpoints
import Foundation
import Synchronization
import Testing

struct TokenFileTests {
    private func write(_ content: String, mode: Int, in sandbox: Sandbox) throws -> String {
        let path = sandbox.directory + "/token"
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test(arguments: [0o600, 0o400])
    func readsAPrivateFileTrimmed(mode: Int) throws {
        let sandbox = try Sandbox()
        let path = try write("  s3cret-token \n", mode: mode, in: sandbox)
        #expect(try TokenFile.read(path) == "s3cret-token")
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o602])
    func refusesAFileOthersCanAccess(mode: Int) throws {
        let sandbox = try Sandbox()
        let path = try write("s3cret-token\n", mode: mode, in: sandbox)
        let error = try #require(throws: TokenFileError.self) { try TokenFile.read(path) }
        #expect(error == .tooOpen(path: path, mode: UInt32(mode)))
        #expect(error.description.contains("mode 0\(String(mode, radix: 8))"))
        #expect(error.description.contains("chmod 600"))
        #expect(!error.description.contains("s3cret"))
    }

    @Test func refusesMissingEmptyMultiLineAndDirectories() throws {
        let sandbox = try Sandbox()
        let missing = sandbox.directory + "/absent"
        #expect(throws: TokenFileError.unreadable(path: missing, reason: "no such file or directory")) { try TokenFile.read(missing) }

        let empty = try write(" \n", mode: 0o600, in: sandbox)
        #expect(throws: TokenFileError.empty(path: empty)) { try TokenFile.read(empty) }

        let twoLines = try write("one\ntwo\n", mode: 0o600, in: sandbox)
        #expect(throws: TokenFileError.severalLines(path: twoLines)) { try TokenFile.read(twoLines) }

        let directory = sandbox.directory + "/dir"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        #expect(throws: TokenFileError.notARegularFile(path: directory)) { try TokenFile.read(directory) }
    }
}

/// A token file that is not a regular file is refused at once, before anything is read; a symlink is
/// followed to its target, whose mode is the one checked.
@Suite("token file kinds", .timeLimit(.minutes(1)))
struct TokenFileKindTests {
    @Test("a FIFO is refused without blocking, with or without a writer")
    func fifo() throws {
        let sandbox = try Sandbox()
        let path = sandbox.directory + "/token.fifo"
        #expect(mkfifo(path, 0o600) == 0)
        // On a thread of its own, so that a read that blocks fails the test instead of hanging it.
        let outcome = Mutex<Result<String, TokenFileError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result { () throws(TokenFileError) in try TokenFile.read(path) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        try #require(done.wait(timeout: .now() + 5) == .success, "reading a FIFO token file blocked")
        #expect(outcome.withLock { $0 } == .failure(.notARegularFile(path: path)))
    }

    @Test("a device is refused before a byte is read", arguments: ["/dev/zero", "/dev/null", "/dev/tty"])
    func device(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let error = try #require(throws: TokenFileError.self) { try TokenFile.read(path) }
        // /dev/tty may be unopenable without a terminal; either way nothing is read and nothing hangs.
        #expect(error == .notARegularFile(path: path) || error.description.hasPrefix("cannot read the token file"))
    }

    @Test("a symlink is followed to a 0600 file; its target's mode is the one checked")
    func symlink() throws {
        let sandbox = try Sandbox()
        let target = sandbox.directory + "/real"
        try Data("linked-token\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
        let link = sandbox.directory + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try TokenFile.read(link) == "linked-token")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
        #expect(throws: TokenFileError.tooOpen(path: link, mode: 0o644)) { try TokenFile.read(link) }
    }

    @Test("a long file is refused after reading one byte past the limit")
    func tooLong() throws {
        let sandbox = try Sandbox()
        let path = sandbox.directory + "/big"
        try Data(repeating: UInt8(ascii: "a"), count: 1 << 20).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(throws: TokenFileError.tooLong(path: path)) { try TokenFile.read(path) }
    }
}
