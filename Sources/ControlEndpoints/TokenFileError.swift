/// Why a token file cannot be used. Messages name the file, never its content.
package enum TokenFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notARegularFile(path: String)
    case tooOpen(path: String, mode: UInt32)
    case tooLong(path: String)
    case notText(path: String)
    case empty(path: String)
    case severalLines(path: String)

    package var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read the token file \(path): \(reason)"
        case .notARegularFile(let path):
            "the token file \(path) is not a regular file"
        case .tooOpen(let path, let mode):
            "the token file \(path) has mode 0\(String(mode, radix: 8)): group or others can access it; run chmod 600 \(path)"
        case .tooLong(let path):
            "the token file \(path) is over \(TokenFile.maximumSize) bytes; it should hold one token"
        case .notText(let path):
            "the token file \(path) is not UTF-8 text"
        case .empty(let path):
            "the token file \(path) is empty"
        case .severalLines(let path):
            "the token file \(path) holds more than one line; it should hold one token"
        }
    }
}
