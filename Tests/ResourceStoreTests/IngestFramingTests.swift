import Fleet
import JSON
import Policy
import ResourceStore
import Testing

/// What is wrong with a snapshot's framing rather than its records: the document's top level,
/// JSON Lines' lines (numbered as an editor numbers them, blank lines included), and the report.
struct IngestFramingTests {
    typealias F = IngestFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let valid = #"{"resource":{"id":"agent/a","type":"agent","platform":"agent","name":"a","status":"online"}}"#
    static let lineShape = #"a line holds one record, an object with one key: {"resource": {...}}, {"agent": {...}}, {"connection": {...}}, {"alert": {...}}, {"recoveryPoint": {...}}, {"metricSample": {...}}, or first {"generatedAt": "..."}"#

    static let cases: [Case] = [
        Case(name: "document: unknown top-level key", text: #"{"resources": [], "hosts": []}"#,
             expected: ["hosts: unknown field; a snapshot has generatedAt, resources, agents, connections, alerts, recoveryPoints, metricSamples"]),
        Case(name: "document: a token at the top", text: #"{"resources": [], "apiToken": "x"}"#,
             expected: ["apiToken: " + IngestValidationTests.secretRule]),
        Case(name: "document: resources missing", text: #"{"generatedAt": "2026-11-28T10:00:00Z", "agents": []}"#,
             expected: [#"resources: is required (an empty snapshot is {"resources": []})"#]),
        Case(name: "document: resources not an array", text: #"{"resources": {}}"#,
             expected: ["resources: must be an array of resource objects (value: an object of 0 keys)"]),
        Case(name: "document: element not an object", text: #"{"resources": [1]}"#,
             expected: ["resources[0]: must be an object (value: a number)"]),
        Case(name: "document: generatedAt not a date", text: #"{"generatedAt": "now", "resources": []}"#,
             expected: [#"generatedAt: must be an RFC 3339 date-time such as 2026-11-28T10:00:00Z (value: "now")"#]),
        Case(name: "document: not JSON", text: #"{"resources": [}"#,
             expected: ["snapshot: not valid JSON: unexpected character '}', expected a value at byte 15"]),
        Case(name: "lines: malformed line, counted after blank lines", text: "{\"generatedAt\":\"2026-11-28T10:00:00Z\"}\n\n\(valid)\n   \n{\"resource\": {\"id\": }\n",
             expected: ["line 5: not valid JSON: unexpected character '}', expected a value at byte 20"]),
        Case(name: "lines: CRLF endings and an unterminated last line", text: "\(valid)\r\n\r\n{\"alert\": 5}",
             expected: ["line 3: alert: must be an object (value: a number)"]),
        Case(name: "lines: two keys on a line", text: "\(valid)\n{\"resource\": {}, \"alert\": {}}\n",
             expected: [#"line 2: \#(lineShape) (value: an object of 2 keys)"#]),
        Case(name: "lines: an array line", text: "\(valid)\n[1]\n", expected: ["line 2: \(lineShape) (value: an array of 1 item)"]),
        Case(name: "lines: generatedAt after a record", text: "\(valid)\n{\"generatedAt\": \"2026-11-28T10:00:00Z\"}\n",
             expected: [#"line 2: generatedAt: must be the first line, and appear once (value: a string)"#]),
        Case(name: "lines: unknown record kind", text: "\(valid)\n{\"host\": {}}\n",
             expected: ["line 2: host: unknown field; a line has generatedAt, resource, agent, connection, alert, recoveryPoint, metricSample"]),
        Case(name: "lines: a record's field", text: "\(valid)\n{\"alert\": {\"id\": \"x\", \"resourceId\": \"agent/a\", \"severity\": \"bad\", \"message\": \"m\", \"since\": \"2026-11-28T10:00:00Z\"}}\n",
             expected: [#"line 2: alert.severity: must be one of critical, warning, info (value: "bad")"#]),
    ]

    /// A snapshot path can name any file (a replayed transcript's fixture, a mistyped argument): what its
    /// rejection prints names fields and kinds, never a value the format does not know.
    static let hostileFiles: [Case] = [
        Case(name: "a registry credential file", text: #"{"auths": {"registry.example": {"auth": "SECRETc2VjcmV0"}}, "credsStore": "SECRETdesktop"}"#,
             expected: ["auths: unknown field; a snapshot has", "credsStore: unknown field;", #"resources: is required"#]),
        Case(name: "lines of unknown keys", text: "\(valid)\n{\"note\": \"SECRETline\"}\n{\"resource\": \"SECRETstring\"}\n[\"SECRETarray\"]\n{\"a\": {\"b\": \"SECRETnested\"}, \"c\": 1}\n",
             expected: ["line 2: note: unknown field;", "line 3: resource: must be an object (value: a string)",
                        "line 4: a line holds one record", "(value: an array of 1 item)", "line 5: a line holds one record"]),
        Case(name: "a document whose arrays hold the secrets", text: #"{"resources": ["SECRETelement"], "alerts": {"k": "SECRETobject"}, "x": "SECRETunknown"}"#,
             expected: ["x: unknown field;", "resources[0]: must be an object (value: a string)",
                        "alerts: must be an array of alert objects (value: an object of 1 key)"]),
    ]

    @Test(arguments: hostileFiles)
    func aRejectionNeverEchoesWhatTheFormatDoesNotKnow(_ testCase: Case) throws {
        let store = try ResourceStore.inMemory()
        let rejection = try #require(throws: SnapshotRejection.self) {
            try store.ingest(.bytes(Array(testCase.text.utf8)), manifest: F.manifest(), now: F.now)
        }
        #expect(!rejection.description.contains("SECRET"), "\(rejection)")
        #expect(!rejection.errors.isEmpty)
        for expected in testCase.expected {
            #expect(rejection.description.contains(expected), "\(expected) in \(rejection)")
        }
    }

    @Test(arguments: cases)
    func reportsFramingErrors(_ testCase: Case) throws {
        let store = try ResourceStore.inMemory()
        let rejection = try #require(throws: SnapshotRejection.self) {
            try store.ingest(.bytes(Array(testCase.text.utf8)), manifest: F.manifest(), now: F.now)
        }
        #expect(rejection.errors.map(\.description) == testCase.expected)
    }

    @Test func anOversizedLineIsReportedWithoutBeingHeld() throws {
        // Given a line of 17 MiB between two valid ones
        var bytes = Array("\(Self.valid)\n{\"resource\": \"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 17 << 20)
        bytes += Array("\"}\n\(Self.valid)\n".utf8)

        let rejection = try #require(throws: SnapshotRejection.self) {
            try ResourceStore.inMemory().ingest(.bytes(bytes), manifest: F.manifest(), now: F.now)
        }
        #expect(rejection.errors.map(\.description) == [
            "line 2: longer than 16 MiB; a record must fit on one line",
            #"line 3: resource.id: duplicate resource id; first defined at line 1: resource (value: "agent/a")"#,
        ])
    }

    @Test func theReportListsAHundredErrorsAndCountsTheRest() throws {
        // Given 150 resources with a bad status each
        let resources = (0..<150).map { F.resource("vm/\($0)", ["status": "up"]) }
        let snapshot = F.adding([], to: [(.resource, F.base[0].records + resources)] + F.base.dropFirst())

        let rejection = try #require(throws: SnapshotRejection.self) {
            try ResourceStore.inMemory().ingest(.bytes(F.lines(snapshot)), manifest: F.manifest(), now: F.now)
        }

        #expect(rejection.totalCount == 150)
        let lines = rejection.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 102)
        #expect(lines.first == "snapshot rejected: 150 errors")
        #expect(lines[1] == #"  line 7: resource.status: must be one of online, offline, warning, unknown (value: "up")"#)
        #expect(lines.last == "  … and 50 more (150 errors in all)")
    }

    /// Ids a table already holds are found by the writing thread, every other error by the reading
    /// one, batches apart; the report still lists them in reading order, and keeps the first 100.
    @Test(arguments: [SnapshotFormat.jsonLines, .jsonDocument])
    func repeatedIdsKeepTheirPlaceAmongTheOtherErrors(_ format: SnapshotFormat) throws {
        // Given 1000 valid alerts (two batches of rows), then 600 alternating between a repeated id and a bad severity
        let valid = (0..<1000).map { F.record(.alert, ["id": .string("ok-\($0)")]) }
        let broken = (0..<600).map { F.record(.alert, $0.isMultiple(of: 2) ? ["id": "alert-1"] : ["id": .string("bad-\($0)"), "severity": "bad"]) }
        let snapshot = F.adding((valid + broken).map { (.alert, $0) })
        let bytes = format == .jsonLines ? F.lines(snapshot) : F.document(snapshot)

        let rejection = try #require(throws: SnapshotRejection.self) {
            try ResourceStore.inMemory().ingest(.bytes(bytes), manifest: F.manifest(), now: F.now)
        }

        // Then every error is counted, and the first 100 are listed in the order of the alerts
        #expect(rejection.totalCount == 600)
        let expected = (0..<100).map { index in
            let position = 1 + valid.count + index  // alert-1 is the first alert
            let path = format == .jsonLines ? "line \(position + 9): alert" : "alerts[\(position)]"
            return index.isMultiple(of: 2)
                ? #"\#(path).id: duplicate alert id (value: "alert-1")"#
                : #"\#(path).severity: must be one of critical, warning, info (value: "bad")"#
        }
        #expect(rejection.errors.map(\.description) == expected)
    }

    @Test func aLongValueIsCutInTheReport() throws {
        let long = String(repeating: "a", count: 100)
        let snapshot = F.adding([(.resource, F.resource("vm/new", ["status": .string(long)]))])
        let rejection = try #require(throws: SnapshotRejection.self) {
            try ResourceStore.inMemory().ingest(.bytes(F.document(snapshot)), manifest: F.manifest(), now: F.now)
        }
        #expect(rejection.errors.map(\.value) == ["\"" + String(repeating: "a", count: 59) + "…"])
    }
}
