import Foundation
import JSON

/// Checks tool arguments against a tool's input schema (JSON Schema 2020-12).
///
/// It implements the keywords our schemas use — `type`, `properties`,
/// `required`, `additionalProperties`, `enum`, `const`, `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`,
/// `pattern`, `items`, `minItems`, `maxItems`, `uniqueItems`, `anyOf` — and
/// reports every violation with the argument's path, so the model can read
/// what was wrong and fix its call. A wrong type is an error, never replaced
/// by a default.
public enum SchemaValidator {
    /// One reason an instance does not match its schema.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// Where in the arguments: `platform`, `filters.tags[2]`; empty for the whole object.
        public var path: String
        public var message: String

        public var description: String {
            path.isEmpty ? message : "`\(path)`: \(message)"
        }
    }

    /// Every violation of `schema` by `instance`, in document order.
    public static func violations(of instance: JSONValue, against schema: JSONValue) -> [Violation] {
        var found: [Violation] = []
        check(instance, schema, path: "", into: &found)
        return found
    }

    private static func check(_ value: JSONValue, _ schema: JSONValue, path: String, into found: inout [Violation]) {
        guard case .object(let rules) = schema.plain else { return }
        let value = value.plain
        func fail(_ message: String) { found.append(Violation(path: path, message: message)) }

        if let type = rules["type"], !matches(value, type: type) {
            fail("expected \(describe(type)), got \(value.typeName)\(preview(value))")
            return
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(where: { $0.isEquivalent(to: value) }) {
            let listed = options.map(\.description).joined(separator: ", ")
            fail("\(value.description) is not one of the allowed values: \(listed)")
        }
        if let constant = rules["const"], !constant.isEquivalent(to: value) {
            fail("must be \(constant.description)")
        }
        if let alternatives = rules["anyOf"]?.arrayValue,
           !alternatives.contains(where: { violations(of: value, against: $0).isEmpty }) {
            fail("does not match any of the allowed forms")
        }
        switch value {
        case .integer, .double:
            checkNumber(value, rules, fail: fail)
        case .string(let string):
            checkString(string, rules, fail: fail)
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
            return names.compactMap(\.stringValue).joined(separator: " or ")
        }
        let name = type.stringValue ?? "?"
        return ["integer", "array", "object"].contains(name) ? "an \(name)" : "a \(name)"
    }

    private static func preview(_ value: JSONValue) -> String {
        switch value {
        case .object, .array: ""
        default: " \(String(value.description.prefix(40)))"
        }
    }

    private static func checkNumber(_ value: JSONValue, _ rules: JSONObject, fail: (String) -> Void) {
        guard let number = value.doubleValue else { return }
        if let minimum = rules["minimum"]?.doubleValue, number < minimum {
            fail("must be at least \(rules["minimum"]?.description ?? ""), got \(value.description)")
        }
        if let maximum = rules["maximum"]?.doubleValue, number > maximum {
            fail("must be at most \(rules["maximum"]?.description ?? ""), got \(value.description)")
        }
        if let bound = rules["exclusiveMinimum"]?.doubleValue, number <= bound {
            fail("must be greater than \(rules["exclusiveMinimum"]?.description ?? ""), got \(value.description)")
        }
        if let bound = rules["exclusiveMaximum"]?.doubleValue, number >= bound {
            fail("must be less than \(rules["exclusiveMaximum"]?.description ?? ""), got \(value.description)")
        }
    }

    private static func checkString(_ string: String, _ rules: JSONObject, fail: (String) -> Void) {
        let length = string.count
        if let minimum = rules["minLength"]?.integerValue, length < minimum {
            fail("must be at least \(minimum) characters long, got \(length)")
        }
        if let maximum = rules["maxLength"]?.integerValue, length > maximum {
            fail("must be at most \(maximum) characters long, got \(length)")
        }
        if let pattern = rules["pattern"]?.stringValue,
           string.range(of: pattern, options: .regularExpression) == nil {
            fail("must match the pattern \(pattern)")
        }
    }

    private static func checkArray(_ elements: [JSONValue], _ rules: JSONObject, path: String, into found: inout [Violation]) {
        if let minimum = rules["minItems"]?.integerValue, elements.count < minimum {
            found.append(Violation(path: path, message: "must have at least \(minimum) items, got \(elements.count)"))
        }
        if let maximum = rules["maxItems"]?.integerValue, elements.count > maximum {
            found.append(Violation(path: path, message: "must have at most \(maximum) items, got \(elements.count)"))
        }
        if rules["uniqueItems"] == .bool(true), Set(elements).count != elements.count {
            found.append(Violation(path: path, message: "must not repeat items"))
        }
        if let itemSchema = rules["items"] {
            for (offset, element) in elements.enumerated() {
                check(element, itemSchema, path: "\(path)[\(offset)]", into: &found)
            }
        }
    }

    private static func checkObject(_ object: JSONObject, _ rules: JSONObject, path: String, into found: inout [Violation]) {
        let properties = rules["properties"]?.objectValue ?? JSONObject()
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !object.contains(name) {
            found.append(Violation(path: join(path, name), message: "is required"))
        }
        for (name, value) in object {
            if let propertySchema = properties[name] {
                check(value, propertySchema, path: join(path, name), into: &found)
                continue
            }
            switch rules["additionalProperties"] {
            case .bool(false)?:
                let known = properties.keys.joined(separator: ", ")
                found.append(Violation(
                    path: join(path, name),
                    message: "is not a known argument" + (known.isEmpty ? " (this tool takes none)" : "; known: \(known)")
                ))
            case let additional? where additional.objectValue != nil:
                check(value, additional, path: join(path, name), into: &found)
            default:
                break
            }
        }
    }

    private static func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : "\(path).\(name)"
    }
}
