import Foundation
import JSON

/// Checks tool arguments against a tool's input schema (JSON Schema 2020-12).
///
/// It implements the keywords our schemas use — `type`, `properties`,
/// `required`, `additionalProperties`, `enum`, `const`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`,
/// `pattern`, `items`, `minItems`, `maxItems`, `uniqueItems`, `anyOf` — and
/// reports each violation with the argument's path, so the model can read
/// what was wrong and fix its call. A wrong type is an error, never replaced
/// by a default.
///
/// The work and the answer are bounded whatever the instance: an array past
/// its `maxItems` is refused by its length without looking at its items, a
/// string past its `maxLength` is not matched against a pattern, at most
/// ``Report/limit`` violations are spelled out (the rest are counted), and
/// every path and message is cut to a fixed length.
package enum SchemaValidator {
    /// One reason an instance does not match its schema.
    package struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// Where in the arguments: `platform`, `filters.tags[2]`; empty for the whole object.
        package var path: String
        package var message: String

        package init(path: String, message: String) {
            self.path = Self.cut(path, to: 80)
            self.message = Self.cut(message, to: 400)
        }

        package var description: String {
            path.isEmpty ? message : "`\(path)`: \(message)"
        }

        static func cut(_ text: String, to length: Int) -> String {
            text.utf8.count <= length || text.count <= length ? text : String(text.prefix(length - 1)) + "…"
        }
    }

    /// The violations of one instance: the first ``limit`` in document order, and how many in all.
    package struct Report: Sendable, Equatable {
        /// How many violations are spelled out.
        package static let limit = 20

        package var shown: [Violation] = []
        package var total = 0

        package var isEmpty: Bool { total == 0 }

        /// `a; b; c`, then ` and N more` when some were only counted.
        package var text: String {
            let listed = shown.map(\.description).joined(separator: "; ")
            return total > shown.count ? "\(listed); and \(total - shown.count) more" : listed
        }

        mutating func add(_ path: @autoclosure () -> String, _ message: @autoclosure () -> String) {
            total += 1
            if shown.count < Self.limit {
                shown.append(Violation(path: path(), message: message()))
            }
        }
    }

    /// The violations of `schema` by `instance`, the first ``Report/limit`` spelled out.
    package static func report(of instance: JSONValue, against schema: JSONValue) -> Report {
        var report = Report()
        check(instance, schema, path: "", into: &report)
        return report
    }

    /// The first ``Report/limit`` violations of `schema` by `instance`, in document order.
    package static func violations(of instance: JSONValue, against schema: JSONValue) -> [Violation] {
        report(of: instance, against: schema).shown
    }

    private static func check(_ value: JSONValue, _ schema: JSONValue, path: String, into found: inout Report) {
        guard case .object(let rules) = schema.plain else { return }
        let value = value.plain

        if let type = rules["type"], !matches(value, type: type) {
            found.add(path, "expected \(describe(type)), got \(value.typeName)\(preview(value))")
            return
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(where: { $0.isEquivalent(to: value) }) {
            let listed = options.map(\.description).joined(separator: ", ")
            found.add(path, "\(quoted(value)) is not one of the allowed values: \(listed)")
        }
        if let constant = rules["const"], !constant.isEquivalent(to: value) {
            found.add(path, "must be \(constant.description)")
        }
        if let alternatives = rules["anyOf"]?.arrayValue,
           !alternatives.contains(where: { report(of: value, against: $0).isEmpty }) {
            found.add(path, "does not match any of the allowed forms")
        }
        switch value {
        case .integer, .double:
            checkNumber(value, rules, path: path, into: &found)
        case .string(let string):
            checkString(string, rules, path: path, into: &found)
        case .array(let elements):
            checkArray(elements, rules, path: path, into: &found)
        case .object(let object):
            checkObject(object, rules, path: path, into: &found)
        default:
            break
        }
    }

    private static func matches(_ value: JSONValue, type: JSONValue) -> Bool {
        if let names = type.arrayValue {
            return names.contains { matches(value, type: $0) }
        }
        switch (type.stringValue, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
             ("number", .integer), ("number", .double), ("integer", .integer):
            return true
        case ("integer", .double(let double)):
            return double.rounded() == double
        default:
            return false
        }
    }

    private static func describe(_ type: JSONValue) -> String {
        if let names = type.arrayValue {
            // An optional argument's null means "not given" and never reaches here: name the real types.
            let real = names.filter { $0 != "null" }
            return real.count == 1 ? describe(real[0]) : names.compactMap(\.stringValue).joined(separator: " or ")
        }
        let name = type.stringValue ?? "?"
        return ["integer", "array", "object"].contains(name) ? "an \(name)" : "a \(name)"
    }

    /// ` true`, ` 2.5`, ` "text"`: the value after its type name; nothing for null (`got null`), an array or an object.
    private static func preview(_ value: JSONValue) -> String {
        switch value {
        case .object, .array, .null: ""
        default: " \(quoted(value))"
        }
    }

    /// A scalar as JSON, cut to 40 characters; an array or object by its size.
    private static func quoted(_ value: JSONValue) -> String {
        switch value {
        case .array(let elements): "an array of \(elements.count) items"
        case .object(let object): "an object of \(object.count) keys"
        case .string(let text) where text.utf8.count > 40: String(JSONValue.string(String(text.prefix(40))).description.dropLast()) + "…\""
        default: String(value.description.prefix(60))
        }
    }

    private static func checkNumber(_ value: JSONValue, _ rules: JSONObject, path: String, into found: inout Report) {
        guard let number = value.doubleValue else { return }
        let shown = String(value.description.prefix(40))
        if let minimum = rules["minimum"]?.doubleValue, number < minimum {
            found.add(path, "must be at least \(rules["minimum"]?.description ?? ""), got \(shown)")
        }
        if let maximum = rules["maximum"]?.doubleValue, number > maximum {
            found.add(path, "must be at most \(rules["maximum"]?.description ?? ""), got \(shown)")
        }
        if let bound = rules["exclusiveMinimum"]?.doubleValue, number <= bound {
            found.add(path, "must be greater than \(rules["exclusiveMinimum"]?.description ?? ""), got \(shown)")
        }
        if let bound = rules["exclusiveMaximum"]?.doubleValue, number >= bound {
            found.add(path, "must be less than \(rules["exclusiveMaximum"]?.description ?? ""), got \(shown)")
        }
    }

    private static func checkString(_ string: String, _ rules: JSONObject, path: String, into found: inout Report) {
        if let minimum = rules["minLength"]?.integerValue, string.utf8.count < minimum || string.count < minimum {
            found.add(path, "must be at least \(minimum) characters long, got \(string.count)")
        }
        // A string is never longer in characters than in bytes: only a long one is counted.
        if let maximum = rules["maxLength"]?.integerValue, string.utf8.count > maximum, string.count > maximum {
            found.add(path, "must be at most \(maximum) characters long, got \(string.count)")
            return
        }
        if let pattern = rules["pattern"]?.stringValue,
           string.range(of: pattern, options: .regularExpression) == nil {
            found.add(path, "must match the pattern \(pattern)")
        }
    }

    private static func checkArray(_ elements: [JSONValue], _ rules: JSONObject, path: String, into found: inout Report) {
        if let maximum = rules["maxItems"]?.integerValue, elements.count > maximum {
            // Refused by its length: its items are not looked at (a million of them would each be a violation).
            found.add(path, "must have at most \(maximum) items, got \(elements.count)")
            return
        }
        if let minimum = rules["minItems"]?.integerValue, elements.count < minimum {
            found.add(path, "must have at least \(minimum) items, got \(elements.count)")
        }
        if rules["uniqueItems"] == .bool(true), Set(elements).count != elements.count {
            found.add(path, "must not repeat items")
        }
        if let itemSchema = rules["items"] {
            for (offset, element) in elements.enumerated() {
                check(element, itemSchema, path: "\(path)[\(offset)]", into: &found)
            }
        }
    }

    private static func checkObject(_ object: JSONObject, _ rules: JSONObject, path: String, into found: inout Report) {
        let properties = rules["properties"]?.objectValue ?? JSONObject()
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !object.contains(name) {
            found.add(join(path, name), "is required")
        }
        var listedKnown = false
        for (name, value) in object {
            if let propertySchema = properties[name] {
                check(value, propertySchema, path: join(path, name), into: &found)
                continue
            }
            switch rules["additionalProperties"] {
            case .bool(false)?:
                // The known arguments are listed once, with the first unknown one.
                let known = properties.keys.joined(separator: ", ")
                let list = listedKnown ? "" : (known.isEmpty ? " (this tool takes none)" : "; known: \(known)")
                listedKnown = true
                found.add(join(path, name), "is not a known argument" + list)
            case let additional? where additional.objectValue != nil:
                check(value, additional, path: join(path, name), into: &found)
            default:
                break
            }
        }
    }

    private static func join(_ path: String, _ name: String) -> String {
        let name = Violation.cut(name, to: 60)
        return path.isEmpty ? name : "\(path).\(name)"
    }
}
