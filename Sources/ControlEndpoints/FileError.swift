/// A file operation that failed, with its `errno`: "no such file or directory", "permission denied", …
struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    var code: Int32

    var description: String { POSIX.describe(code) }
}
