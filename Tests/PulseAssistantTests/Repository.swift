import Foundation
import Testing

/// The repository the tests run in, and its golden sections.
enum Repository {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var updatingGoldenFiles: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["UPDATE_GOLDEN"] == "1" && environment["CI"] == nil
    }

    /// Compares the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in `file` with `expected`;
    /// rewrites it instead when updating golden files.
    static func checkSection(_ name: String, of file: URL, equals expected: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let begin = "<!-- \(name):begin -->\n", end = "<!-- \(name):end -->"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
            Issue.record("\(file.lastPathComponent) has no \(begin.trimmingCharacters(in: .newlines)) … \(end) section")
            return
        }
        let current = String(text[start.upperBound..<stop.lowerBound])
        if updatingGoldenFiles, current != expected {
            let updated = text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: expected)
            try updated.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == expected, "the \(name) section of \(file.lastPathComponent) is stale; UPDATE_GOLDEN=1 swift test rewrites it")
    }

    /// Compares the whole of `file` with `expected`; rewrites it instead when updating golden files.
    static func checkFile(_ file: URL, equals expected: String) throws {
        let current = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        if updatingGoldenFiles, current != expected {
            try expected.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == expected, "\(file.lastPathComponent) is stale; UPDATE_GOLDEN=1 swift test rewrites it")
    }
}
