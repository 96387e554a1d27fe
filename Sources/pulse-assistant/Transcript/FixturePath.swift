import Foundation

/// Where a transcript's snapshot fixture is: a relative path that stays inside the transcript's directory.
///
/// A transcript arrives in a change like any other file and is replayed in CI, so its header must not
/// make the replayer read a file elsewhere (`../../home/ci/.ssh/id_ed25519`, `/etc/shadow`, a symlink out):
///
/// ```
/// transcripts/session.jsonl  {"fixture": {"snapshot": "fixtures/fleet.jsonl"}}   → transcripts/fixtures/fleet.jsonl
///                            {"fixture": {"snapshot": "../x"}}                   → refused: a `..` component
///                            {"fixture": {"snapshot": "/etc/passwd"}}            → refused: absolute
///                            {"fixture": {"snapshot": "link"}}, link → /etc      → refused once resolved
/// ```
enum FixturePath {
    /// Refuses a path that is empty, absolute, or has a `..` component: said before anything is opened.
    static func check(_ relative: String) throws {
        guard !relative.isEmpty, !relative.hasPrefix("/") else {
            throw TranscriptError("fixture snapshot must be a path relative to the transcript's directory")
        }
        guard !relative.split(separator: "/", omittingEmptySubsequences: false).contains("..") else {
            throw TranscriptError("fixture snapshot must stay inside the transcript's directory: no \"..\" component")
        }
        guard !relative.utf8.contains(0) else { throw TranscriptError("fixture snapshot must not hold a NUL byte") }
    }

    /// The fixture's real path (symlinks resolved), which must lie inside the transcript's directory, itself resolved.
    static func resolve(_ relative: String, transcript: String) throws -> String {
        try check(relative)
        let directory = URL(fileURLWithPath: transcript).deletingLastPathComponent().path
        guard let root = realPath(directory) else { throw TranscriptError("cannot resolve the transcript's directory") }
        guard let resolved = realPath(root + "/" + relative) else {
            throw TranscriptError("fixture snapshot \(relative) does not exist beside the transcript")
        }
        guard resolved.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw TranscriptError("fixture snapshot \(relative) leads outside the transcript's directory (through a symlink)")
        }
        return resolved
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
