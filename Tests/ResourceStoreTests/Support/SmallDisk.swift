import Foundation

/// A tmpfs of a few hundred KiB or MiB mounted for one test, unmounted and removed with the value: a
/// real full disk (`ENOSPC`), not an injected failure. Mounting needs root; tests using it are
/// enabled only then (``isAvailable``).
final class SmallDisk {
    let url: URL

    static var isAvailable: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/mount") }

    init(bytes: Int) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("small-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Self.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", url.path])
    }

    deinit {
        try? Self.run("/usr/bin/umount", [url.path])
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Fills the disk with `filler` files of 4 KiB until a write fails, then frees `keep` bytes of them.
    func fill(leaving keep: Int) throws {
        let block = Data(count: 4096)
        var index = 0
        while FileManager.default.createFile(atPath: path("filler-\(index)"), contents: block) { index += 1 }
        try? FileManager.default.removeItem(atPath: path("filler-\(index)"))
        for freed in 0..<(keep / 4096) where index - 1 - freed >= 0 {
            try FileManager.default.removeItem(atPath: path("filler-\(index - 1 - freed)"))
        }
    }

    /// Frees every filler file.
    func empty() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasPrefix("filler-") {
            try FileManager.default.removeItem(atPath: path(name))
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) exited \(process.terminationStatus)"])
        }
    }
}
