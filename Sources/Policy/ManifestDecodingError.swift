/// Why a platform-support manifest could not be read, with the JSON path of the offending value.
///
/// `DecodingError`'s own description buries the path in a coding-key dump; an operator running
/// `matrix --check --manifest draft.json` needs `platforms[3].governance: "beta" is not a governance state`.
package struct ManifestDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON path, e.g. `platforms[3].supportFloor`; empty for the document itself.
    package var path: String
    /// What was wrong there.
    package var reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// Translates a `DecodingError` into a path and a plain reason.
    package init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(path: Self.path(context.codingPath), reason: "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(path: Self.path(context.codingPath), reason: "expected \(Self.describe(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(path: Self.path(context.codingPath + [key]), reason: "required key is missing")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(path: "", reason: "not valid JSON")
        case .dataCorrupted(let context):
            self.init(path: Self.path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            self.init(path: "", reason: "\(error)")
        }
    }

    package var description: String {
        "platform-support manifest: \(path.isEmpty ? "(document)" : path): \(reason)"
    }

    /// Renders a coding path the way a reader writes JSON paths: `platforms[3].supportFloor.storage`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var rendered = ""
        for key in codingPath {
            if let index = key.intValue {
                rendered += "[\(index)]"
            } else {
                rendered += rendered.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return rendered
    }

    /// Names a Swift type in JSON terms, so messages talk about objects and arrays, not dictionaries.
    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a value of type \(type)"
        }
    }
}
