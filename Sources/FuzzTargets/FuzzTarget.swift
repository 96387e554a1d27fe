import AssistantTools
import JSON
import JSONRPC

/// One fuzz input through the server's untrusted-input path: the line framer, the JSON parser, and
/// the tool-argument validator against every published tool schema.
///
/// ```
/// bytes ─▶ LineFramer (fed in pieces the input's first byte sizes) ─▶ frames
///       ─▶ JSONParser.parse ─▶ value ─▶ serialize ─▶ parse again   must give the same value
///       ─▶ SchemaValidator.violations(of: arguments, against: each inputSchema)
/// ```
/// What it checks besides "does not crash or hang": a frame never exceeds the framer's bound, a
/// parsed value round-trips through the serializer, and validation answers a bounded number of
/// violations each bounded in length. A broken check is returned as a ``Finding``; libFuzzer's entry
/// (`pulse-assistant-fuzz` built with `-sanitize=fuzzer`) traps on one, the deterministic harness
/// collects them.
package struct FuzzTarget: Sendable {
    /// The tool schemas the arguments are validated against (`tool-schemas/*.json`'s `inputSchema`).
    package let schemas: [JSONValue]
    /// The framer's line bound: small, so that the fuzzer reaches the oversized path.
    package static let maximumLineLength = 4096

    package struct Finding: Error, Sendable, Equatable, CustomStringConvertible {
        package var check: String
        package var input: [UInt8]
        package init(check: String, input: [UInt8]) {
            self.check = check
            self.input = input
        }

        package var description: String { "\(check) (input of \(input.count) bytes: \(String(decoding: input.prefix(200), as: UTF8.self)))" }
    }

    package init(schemas: [JSONValue]) {
        self.schemas = schemas
    }

    /// Runs one input; nil when every check held.
    package func run(_ input: [UInt8]) -> Finding? {
        var framer = LineFramer(maximumLineLength: Self.maximumLineLength)
        var frames: [LineFramer.Frame] = []
        let piece = max(1, Int(input.first ?? 1) % 64)
        var start = 0
        while start < input.count {
            let end = min(input.count, start + piece)
            framer.append(input[start..<end])
            while let frame = framer.nextFrame() { frames.append(frame) }
            start = end
        }
        if let last = framer.finish() { frames.append(last) }
        for frame in frames {
            guard case .line(let line) = frame else { continue }
            if line.count > Self.maximumLineLength { return Finding(check: "a frame is longer than the bound", input: input) }
            if let finding = check(line: line, input: input) { return finding }
        }
        // The whole input as one document, too: the parser on bytes the framer would have split.
        return check(line: input, input: input)
    }

    private func check(line: [UInt8], input: [UInt8]) -> Finding? {
        guard let value = try? JSONParser.parse(line) else { return nil }
        let text = JSONSerializer.bytes(value)
        guard let again = try? JSONParser.parse(text), again == value else {
            return Finding(check: "a parsed value does not round-trip through the serializer", input: input)
        }
        let arguments = value["params"]?["arguments"] ?? value
        for schema in schemas {
            let violations = SchemaValidator.violations(of: arguments, against: schema)
            let length = violations.reduce(0) { $0 + $1.description.utf8.count }
            if length > 64 * 1024 + 64 * line.count {
                return Finding(check: "validation answered \(length) bytes for a line of \(line.count)", input: input)
            }
        }
        return nil
    }
}
