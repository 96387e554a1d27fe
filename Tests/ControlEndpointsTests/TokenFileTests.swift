import ControlEndpoints
import Foundation
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
