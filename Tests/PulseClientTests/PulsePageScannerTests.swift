import Fleet
import JSON
import Testing
@testable import PulseClient

/// The split of a page into its rows' bytes, before any row is parsed: exact on JSON that could
/// fool a naive scanner, and never laxer than the parser (a page it refuses is parsed whole, with
/// today's result or error).
@Suite("PulsePageScanner: a page split into rows by their bytes")
struct PulsePageScannerTests {
    static let meta = #""meta":{"page":1,"limit":100,"total":2,"totalPages":1}"#

    /// A page body around `data`.
    static func page(_ data: String, meta: String = meta) -> [UInt8] {
        Array("{\"data\":\(data),\(meta)}".utf8)
    }

    static func rows(_ body: [UInt8]) -> [String]? {
        PulsePageScanner.scan(body)?.rows.map { String(decoding: body[$0], as: UTF8.self) }
    }

    @Test(arguments: [
        (#"[{"id":"a"},{"id":"b"}]"#, [#"{"id":"a"}"#, #"{"id":"b"}"#]),
        (#"[{"id":"a \"quoted\" ]},{"}]"#, [#"{"id":"a \"quoted\" ]},{"}"#]),
        (#"[{"id":"back\\"},{"id":"slash\\\\"}]"#, [#"{"id":"back\\"}"#, #"{"id":"slash\\\\"}"#]),
        (#"[{"n":{"m":[1,[2,{"x":[]}],{}]},"e":[]},{"k":[[[]]]}]"#, [#"{"n":{"m":[1,[2,{"x":[]}],{}]},"e":[]}"#, #"{"k":[[[]]]}"#]),
        (#"[{"id":"\u00e9\u005d\ud83d\ude00"}]"#, [#"{"id":"\u00e9\u005d\ud83d\ude00"}"#]),
        ("[ {\"id\" : \"a\" } ,\n\t{ \"id\":\"b\",\"v\":[ 1 , -2.5e3 , true , null ] }\r\n]", [#"{"id" : "a" }"#, "{ \"id\":\"b\",\"v\":[ 1 , -2.5e3 , true , null ] }"]),
        (#"["not an object",42,null]"#, [#""not an object""#, "42", "null"]),
        ("[]", []),
        ("[ ]", []),
    ])
    func rowsAreSplitAtTheirOwnBrackets(_ data: String, _ expected: [String]) {
        #expect(Self.rows(Self.page(data)) == expected)
    }

    @Test func keysAroundDataAreReadAndTheirValuesParsed() throws {
        let body = Array(#" { "aggregations" : {"byType":{"vm":[1,2]}}, "data":[{"id":"a"}], "meta":{"page":1,"limit":100,"total":1,"totalPages":1} } "#.utf8)
        let scanned = try #require(PulsePageScanner.scan(body))
        #expect(scanned.rows.count == 1)
        #expect(scanned.others["meta"]?["total"]?.integerValue == 1)
        #expect(scanned.others["aggregations"]?["byType"]?["vm"] == [1, 2])
    }

    /// Bodies the scanner leaves to the parser: truncated, trailing or missing commas, brackets
    /// that do not match, a repeated key, no `data` array, something after the value.
    @Test(arguments: [
        #"{"data":[{"id":"a"},{"id":"b"}"#,
        #"{"data":[{"id":"a"},{"id":"#,
        #"{"data":[{"id":"a"},],"meta":{}}"#,
        #"{"data":[{"id":"a"} {"id":"b"}],"meta":{}}"#,
        #"{"data":[{"id":"a"]],"meta":{}}"#,
        #"{"data":[{"id":["a"}}],"meta":{}}"#,
        #"{"data":[{"id" "a"}],"meta":{}}"#,
        #"{"data":[{"id":"a",}],"meta":{}}"#,
        #"{"data":[{1:"a"}],"meta":{}}"#,
        #"{"data":[],"data":[],"meta":{}}"#,
        #"{"data":null,"meta":{}}"#,
        #"{"meta":{}}"#,
        #"{"data":[],"meta":{}} x"#,
        #"{"data":[],"meta":{"page":}}"#,
        "{\"data\":[{\"id\":\"a\nb\"}],\"meta\":{}}",
        "[]",
        "",
    ])
    func bodiesItCannotSplitAreLeftToTheParser(_ body: String) {
        #expect(PulsePageScanner.scan(Array(body.utf8)) == nil)
    }

    /// Nesting as deep as the parser's bound is left to the parser, which refuses it as it did.
    @Test func nestingPastTheParsersBoundIsLeftToTheParser() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(PulsePageScanner.scan(Self.page("[\(deep)]")) == nil)
        let shallow = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect(Self.rows(Self.page("[\(shallow)]")) == [shallow])
    }

    static func response(_ body: [UInt8]) -> PulseResponse {
        PulseResponse(status: 200, body: body, route: "/api/resources?limit=100&page=1&sort=name")
    }
    static let hash = PulseRawRowHash(manifestFingerprint: "0123456789abcdef")

    /// What a page reads as, recognising nothing: the rows the whole-body parser gives, or its error.
    static func read(_ body: [UInt8], known: [String: FleetRawRow] = [:]) -> Result<[JSONValue?], PulseError> {
        Result { () throws(PulseError) in
            try PulseResourcePage(response(body), known: known, hash: hash).entries.map { entry in
                if case .read(let value, _) = entry { value } else { nil }
            }
        }
    }

    static func parsedWhole(_ body: [UInt8]) -> Result<[JSONValue?], PulseError> {
        Result { () throws(PulseError) in try PulsePage(response(body)).rows.map { $0 } }
    }

    @Test(arguments: [
        page(#"[{"id":"a \"q\" ]"},{"id":"b","n":[1,{"x":"\u00e9"}]}]"#),
        page("[]"),
        Array(#"{"data":[{"id":"a"},{"id":"#.utf8),
        Array(#"{"data":[{"id":"a"},{"id":"b"}]"#.utf8),
        Array(#"{"data":[{"id":"a"}]}"#.utf8),
        Array(#"{"data":[{"id":"a","id":"b"}],"meta":{"page":1,"limit":100,"total":1,"totalPages":1}}"#.utf8),
        page(#"[{"id":"\ud800"}]"#),
        page("[1,2,3]", meta: #""meta":{"page":1,"limit":2,"total":3,"totalPages":2}"#),
        Array(#"{"data":[],"meta":{"page":1,"limit":100,"total":-1,"totalPages":1}}"#.utf8),
    ])
    func aPageReadsAsTheWholeBodyParsesWithTheSameRowsOrError(_ body: [UInt8]) {
        let scanned = Self.read(body)
        let whole = Self.parsedWhole(body)
        switch (scanned, whole) {
        case (.success(let rows), .success(let expected)):
            #expect(rows.map { $0.map(JSONSerializer.string) } == expected.map { $0.map(JSONSerializer.string) })
        case (.failure(let error), .failure(let expected)):
            #expect(error.description == expected.description)
        default:
            Issue.record("scanned \(scanned), parsed whole \(whole)")
        }
    }

    @Test func aTruncatedPageIsTheBrokenEnvelopeItWasBefore() {
        let body = Array(#"{"data":[{"id":"a"},{"id":"b"#.utf8)
        guard case .failure(.malformedEnvelope(let route, let reason)) = Self.read(body) else {
            Issue.record("a truncated page must be a broken envelope")
            return
        }
        #expect(route == "/api/resources?limit=100&page=1&sort=name")
        #expect(reason.hasPrefix("not JSON ("))
    }

    @Test func aRowWhoseRawHashIsKeptIsRecognisedAndNotParsed() throws {
        let body = Self.page(#"[{"id":"a"},{"id":"b"}]"#)
        let rowA = Array(#"{"id":"a"}"#.utf8)
        let rawA = rowA.withUnsafeBufferPointer { Self.hash($0) }
        let kept = FleetRawRow(hash: rawA, resourceId: "a", memo: "{}", recordHash: "h")
        let page = try PulseResourcePage(Self.response(body), known: [rawA: kept], hash: Self.hash)
        guard case .recognised(let row) = page.entries.first, case .read(let value, let rawB)? = page.entries.last else {
            Issue.record("expected a recognised row, then a read one: \(page.entries)")
            return
        }
        #expect(row.isRecognised && row.hash == rawA)
        #expect(value["id"] == "b")
        #expect(rawB == Array(#"{"id":"b"}"#.utf8).withUnsafeBufferPointer { Self.hash($0) })
    }

    @Test func theRawHashDependsOnTheManifestAndTheBytes() {
        let row = Array(#"{"id":"a"}"#.utf8)
        let spaced = Array(#"{"id": "a"}"#.utf8)
        let hashes = [
            row.withUnsafeBufferPointer { Self.hash($0) },
            row.withUnsafeBufferPointer { PulseRawRowHash(manifestFingerprint: "fedcba9876543210")($0) },
            spaced.withUnsafeBufferPointer { Self.hash($0) },
        ]
        #expect(Set(hashes).count == 3)
        #expect(hashes.allSatisfy { $0.count == 32 })
    }
}
