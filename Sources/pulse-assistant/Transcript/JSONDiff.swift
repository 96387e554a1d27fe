import JSON

/// Where two JSON values differ, as `path: expected …, got …` lines.
enum JSONDiff {
    static func differences(_ expected: JSONValue, _ got: JSONValue, at path: String = "$", limit: Int = 20) -> [String] {
        var out: [String] = []
        walk(expected, got, path, &out, limit)
        return out
    }

    private static func walk(_ expected: JSONValue, _ got: JSONValue, _ path: String, _ out: inout [String], _ limit: Int) {
        guard out.count < limit, expected != got else { return }
        switch (expected, got) {
        case (.object(let a), .object(let b)):
            for key in a.keys where b[key] == nil {
                out.append("\(path).\(key): expected \(short(a[key] ?? .null)), got nothing")
            }
            for key in b.keys where a[key] == nil {
                out.append("\(path).\(key): expected nothing, got \(short(b[key] ?? .null))")
            }
            for key in a.keys {
                if let left = a[key], let right = b[key] { walk(left, right, "\(path).\(key)", &out, limit) }
            }
        case (.array(let a), .array(let b)):
            for index in 0..<min(a.count, b.count) {
                walk(a[index], b[index], "\(path)[\(index)]", &out, limit)
            }
            if a.count != b.count {
                out.append("\(path): expected \(a.count) items, got \(b.count)")
            }
        default:
            out.append("\(path): expected \(short(expected)), got \(short(got))")
        }
    }

    static func short(_ value: JSONValue) -> String {
        let text = JSONSerializer.string(value)
        return text.count > 160 ? String(text.prefix(157)) + "…" : text
    }

    /// `value` without the fields named in `volatile`, at any depth.
    static func removing(_ volatile: Set<String>, from value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            .object(JSONObject(object.keys.filter { !volatile.contains($0) }.map { ($0, removing(volatile, from: object[$0] ?? .null)) }))
        case .array(let items):
            .array(items.map { removing(volatile, from: $0) })
        default:
            value
        }
    }

    /// `value` with every occurrence of each key of `replacements` in its strings replaced by its value.
    static func substituting(_ replacements: [(String, String)], in value: JSONValue) -> JSONValue {
        guard !replacements.isEmpty else { return value }
        switch value {
        case .object(let object):
            return .object(JSONObject(object.keys.map { ($0, substituting(replacements, in: object[$0] ?? .null)) }))
        case .array(let items):
            return .array(items.map { substituting(replacements, in: $0) })
        case .string(var text):
            for (from, to) in replacements where text.contains(from) {
                text = text.replacing(from, with: to)
            }
            return .string(text)
        default:
            return value
        }
    }
}
