import Fleet
import JSON
import Testing
@testable import PulseClient

@Suite("Decoding: every shared Pulse fixture")
struct PulseDecodingTests {
    @Test(arguments: PulseFixtures.names)
    func everyFixtureParses(_ name: String) throws {
        let value = try PulseFixtures.json(name)
        #expect(value.objectValue != nil || value.arrayValue != nil)
    }

    @Test func theResourceListIsAPageOfRows() throws {
        let page = try PulsePage(PulseResponse(status: 200, body: PulseFixtures.bytes("api-resources.list.json"), route: "/api/resources"))
        #expect(page.rows.count == 23)
        #expect((page.page, page.limit, page.total, page.totalPages) == (1, 50, 23, 1))
    }

    @Test func theSingleResourceMapsLikeAListRow() throws {
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let record = try #require(mapping.resource(PulseFixtures.json("api-resource.vm.get.json")).record?.record)
        #expect(record["id"] == "vm-9493142bd2bf2b8e")
        #expect(record["type"] == "vm")
        #expect(record["platform"] == "proxmox-pve")
        #expect(Validation.errors(record, .resource) == [])
    }

    @Test func everyActiveAlertBecomesARecord() throws {
        let alerts = try #require(try PulseFixtures.json("api-alerts-active.json").arrayValue)
        let records = alerts.compactMap { PulseMapping.alert($0).record }
        #expect(records.count == 3)
        #expect(records.map { $0["severity"] } == ["warning", "critical", "warning"])
        #expect(records.map { $0["since"] } == ["2026-08-22T13:58:00Z", "2026-08-22T14:12:00Z", "2026-08-22T14:25:00Z"])
        #expect(records.first?["message"] == "VM memory at 87.5%")
        for record in records { #expect(Validation.errors(record, .alert) == []) }
    }

    @Test func recoveryPointsReadSubjectKindTimeSizeAndVerification() throws {
        let page = try PulsePage(PulseResponse(status: 200, body: PulseFixtures.bytes("api-recovery-points.json"), route: "/api/recovery/points"))
        var mapping = PulseMapping(manifest: PulseFixtures.manifest)
        let outcomes = page.rows.map { mapping.recoveryPoint($0) }
        let first = try #require(outcomes.first?.record)
        #expect(
            first == [
                "id": "rp-8dec11ae04c6ec07", "resourceId": "vm-9493142bd2bf2b8e", "platform": "proxmox-pbs",
                "kind": "backup", "at": "2026-08-22T02:00:41Z", "sizeBytes": 11_811_160_064, "verified": true,
            ]
        )
        #expect(outcomes[1].record?["resourceId"] == "system-container-e1d23edf538f92ea")
        #expect(outcomes[1].record?["sizeBytes"] == nil)
        // The TrueNAS dataset snapshot names its subject only by an external reference.
        #expect(outcomes[2].skip?.reason == "the point names no resource of Pulse's (only an external reference)")
        for record in outcomes.compactMap(\.record) { #expect(Validation.errors(record, .recoveryPoint) == []) }
    }

    @Test(arguments: ["api-metrics-history.single.json", "api-metrics-history.all.json"])
    func metricHistoryReadsMillisecondsAsSeconds(_ name: String) throws {
        let points = try PulseMetrics.points(PulseFixtures.json(name), metric: "cpu", route: "/api/metrics-store/history")
        #expect(points.count == 5)
        #expect(points.first?.at == Timestamp(secondsSince1970: 1_787_409_000))
        #expect(points.first?.value == 21.0)
        #expect(points.last?.at == Timestamp(secondsSince1970: 1_787_409_240))
    }

    @Test func aHistoryWithoutPointsIsAMalformedEnvelope() {
        #expect(throws: PulseError.malformedEnvelope(route: "/h", reason: "it has no \"points\" array")) {
            try PulseMetrics.points(["metric": "cpu"], metric: "cpu", route: "/h")
        }
    }

    @Test func errorEnvelopesNameTheirCodeAndScopes() throws {
        let envelopes = try #require(try PulseFixtures.json("api-error-envelopes.json").arrayValue)
        let errors = try envelopes.map { envelope in
            let status = try #require(envelope["status"]?.integerValue)
            let body = JSONSerializer.bytes(try #require(envelope["body"]))
            return PulseError.response(status: Int(status), body: body, route: "/r", token: nil)
        }
        #expect(
            errors == [
                .forbidden(route: "/r", requiredScopes: [], code: "mock_mode_enabled", message: "Cannot plan actions in mock mode"),
                .http(route: "/r", status: 404, code: "capability_not_found", message: "Capability not found on resource"),
                .http(route: "/r", status: 409, code: "action_execution_unavailable", message: "Action execution is unavailable"),
                .http(route: "/r", status: 409, code: "action_not_approved", message: "Action is not approved for execution"),
                .forbidden(route: "/r", requiredScopes: ["actions:plan", "ai:execute"], code: "missing_scope", message: nil),
                .forbidden(route: "/r", requiredScopes: ["monitoring:read"], code: "missing_scope", message: nil),
            ]
        )
    }

    @Test func aPageWithoutMetaIsABrokenEnvelope() {
        let body = Array(#"{"data": []}"#.utf8)
        #expect(throws: PulseError.malformedEnvelope(route: "/api/resources", reason: "it has no \"meta\" object")) {
            try PulsePage(PulseResponse(status: 200, body: body, route: "/api/resources"))
        }
    }
}
