import AuditLog
import Foundation
import ResourceStore

/// A directory for one file store and its audit chain, removed with the value.
final class TemporaryStoreDirectory {
    let url: URL
    var storePath: String { url.appendingPathComponent("fleet.db").path }
    var chainPath: String { ResourceStore.auditPath(for: storePath) }
    var headPath: String { ResourceStore.auditHeadPath(for: storePath) }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func open(readOnly: Bool = false) throws -> ResourceStore {
        try ResourceStore.open(path: storePath, readOnly: readOnly)
    }

    /// Appends records 1 through `count` through a store of its own.
    func append(_ count: Int) throws {
        let store = try open()
        for index in 1...count {
            try store.appendAudit(AuditChainTests.record(index))
        }
    }

    /// The chain file's lines, without their newlines.
    func chainLines() throws -> [String] {
        try String(contentsOfFile: chainPath, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func chainRecords() throws -> [AuditRecord] {
        try chainLines().map { try AuditRecord(line: Array($0.utf8)) }
    }

    /// Replaces the chain file's content, as someone editing it would; the head file is left as it was.
    func writeChain(_ lines: [String]) throws {
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: chainPath))
    }
}

extension AuditRecord {
    /// The record's line in the chain file, without its newline.
    var lineText: String { String(decoding: line.dropLast(), as: UTF8.self) }
}
