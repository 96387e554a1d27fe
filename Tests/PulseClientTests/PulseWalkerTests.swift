import Fleet
import JSON
import Testing
@testable import PulseClient

/// A client for `configuration`, shut down after `body`.
func withClient<T>(
    _ configuration: PulseConfiguration, sleeper: PulseSleeper = .immediate,
    _ body: (PulseHTTPClient) async throws -> T
) async throws -> T {
    let client = try PulseHTTPClient(configuration: configuration, sleeper: sleeper)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Walks `fake` with `configuration`.
func walk(_ configuration: PulseConfiguration, sleeper: PulseSleeper = .immediate) async throws -> PulseSyncResult {
    try await withClient(configuration, sleeper: sleeper) { client in
        try await PulseWalker(client: client, manifest: PulseFixtures.manifest, clock: .stepping(by: 0.25)).sync()
    }
}

/// The error a walk throws, or nil when it finishes.
func walkError(_ configuration: PulseConfiguration, sleeper: PulseSleeper = .immediate) async -> PulseError? {
    do {
        _ = try await walk(configuration, sleeper: sleeper)
        return nil
    } catch let error as PulseError {
        return error
    } catch {
        return .invalidConfiguration(reason: "unexpected \(error)")
    }
}

/// Every resource id a batch accounts for, records and skips, with repeats.
func accountedIds(_ batch: FleetBatch) -> [String] {
    batch.records.compactMap { $0["id"]?.stringValue } + batch.skipped.filter { $0.kind == .resource }.compactMap(\.id)
}

@Suite("PulseWalker against the fake Pulse", .serialized, .enabled(if: FakePulse.hasPython, "python3 is missing"))
struct PulseWalkerTests {
    static let token = "walker-token-0c1d2e3f"

    @Test func aWalkOfTenThousandResourcesReadsEachIdOnce() async throws {
        try await FakePulse.with(["--resources", "10000", "--seed", "7", "--token", Self.token]) { fake in
            let result = try await walk(fake.configuration(token: Self.token))
            let ids = accountedIds(result.batch)
            #expect(ids.count == 10_000)
            #expect(Set(ids).count == 10_000)
            #expect(result.stats.resourcePages == 100)
            #expect(result.stats.resourceRows == 10_000)
            #expect(result.stats.rewalks == 0)
            #expect(!result.stats.churnDetected)
            #expect(result.stats.alertPages == 1)
            #expect(result.stats.recoveryPages >= 1)
            #expect(result.stats.bytes > 0)
            #expect(result.stats.seconds > 0)
            #expect(Validation.errors(result.batch) == [])
        }
    }

    @Test func aFiveHundredPageIsRetriedWithBackoffThenSucceeds() async throws {
        try await FakePulse.with(["--resources", "300", "--seed", "1", "--token", Self.token]) { fake in
            try await fake.fault(["errorPage": ["page": 2, "status": 500, "times": 2]], token: Self.token)
            let sleeper = RecordingSleeper()
            let result = try await walk(fake.configuration(token: Self.token), sleeper: sleeper.sleeper)
            #expect(Set(accountedIds(result.batch)).count == 300)
            #expect(sleeper.recorded == [.milliseconds(10), .milliseconds(20)])
        }
    }

    @Test func aPageThatNeverAnswersAbortsTheWalkAfterTheRetries() async throws {
        try await FakePulse.with(["--resources", "300", "--seed", "1", "--token", Self.token]) { fake in
            try await fake.fault(["errorPage": ["page": 2, "status": 503, "times": 100]], token: Self.token)
            let sleeper = RecordingSleeper()
            let error = await walkError(fake.configuration(token: Self.token), sleeper: sleeper.sleeper)
            guard case .http(let route, 503, _, _)? = error else {
                Issue.record("expected HTTP 503, got \(String(describing: error))")
                return
            }
            #expect(route == "/api/resources?limit=100&page=2&sort=name")
            #expect(sleeper.recorded.count == 3)
            #expect(error?.description.contains(Self.token) == false)
        }
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        try await FakePulse.with(["--resources", "300", "--seed", "1", "--token", Self.token]) { fake in
            try await fake.fault(["dropPage": ["page": 3, "times": 1]], token: Self.token)
            let sleeper = RecordingSleeper()
            let result = try await walk(fake.configuration(token: Self.token), sleeper: sleeper.sleeper)
            #expect(Set(accountedIds(result.batch)).count == 300)
            #expect(sleeper.recorded.count == 1)
        }
    }

    @Test func pagesThatChangeDuringTheWalkAreWalkedAgain() async throws {
        try await FakePulse.with(["--resources", "500", "--seed", "3", "--token", Self.token]) { fake in
            // A fifth of the rows change after page 2, a quarter of those renamed into other pages.
            try await fake.fault(["churn": ["afterPage": 2, "percent": 20]], token: Self.token)
            let result = try await walk(fake.configuration(token: Self.token))
            let ids = accountedIds(result.batch)
            #expect(result.stats.rewalks == 1)
            #expect(!result.stats.churnDetected)
            #expect(!result.batch.isPartial)
            #expect(ids.count == 500)
            #expect(Set(ids).count == 500)
            #expect(result.stats.resourcePages > 5)
        }
    }

    @Test func pagesThatKeepChangingMakeAPartialBatch() async throws {
        try await FakePulse.with(["--resources", "500", "--seed", "3", "--token", Self.token]) { fake in
            // Both walks see the pages change: a row renamed onto a page already read may be in neither.
            try await fake.fault(["churn": ["afterPage": 2, "percent": 20, "times": 2]], token: Self.token)
            let result = try await walk(fake.configuration(token: Self.token))
            #expect(result.stats.rewalks == 1)
            #expect(result.stats.churnDetected)
            #expect(result.batch.isPartial, "what the walks missed must not be taken as gone")
            let ids = accountedIds(result.batch)
            #expect(ids.count == Set(ids).count)
        }
    }

    @Test func aResourceVanishingMidWalkIsNotKeptFromTheFirstWalk() async throws {
        try await FakePulse.with(["--resources", "500", "--seed", "3", "--token", Self.token]) { fake in
            let before = try await walk(fake.configuration(token: Self.token))
            try await fake.fault(["vanish": ["afterPage": 2, "count": 5]], token: Self.token)
            let result = try await walk(fake.configuration(token: Self.token))
            let ids = accountedIds(result.batch)
            #expect(result.stats.rewalks == 1)
            #expect(ids.count == Set(ids).count)
            #expect(ids.count == accountedIds(before.batch).count - 5)
        }
    }

    @Test func aBrokenEnvelopeAbortsTheWalk() async throws {
        try await FakePulse.with(["--resources", "300", "--seed", "1", "--token", Self.token]) { fake in
            try await fake.fault(["brokenEnvelope": ["page": 2]], token: Self.token)
            let error = await walkError(fake.configuration(token: Self.token))
            guard case .malformedEnvelope(let route, _)? = error else {
                Issue.record("expected a broken envelope, got \(String(describing: error))")
                return
            }
            #expect(route == "/api/resources?limit=100&page=2&sort=name")
        }
    }

    @Test(arguments: [("type", "malformed row: it has no type"), ("status", nil), ("name", nil), ("id", "malformed row: it has no id")])
    func oneMalformedRowIsSkippedAndTheRestIsKept(mode: String, reason: String?) async throws {
        try await FakePulse.with(["--resources", "300", "--seed", "5", "--token", Self.token]) { fake in
            let before = try await walk(fake.configuration(token: Self.token))
            let victim = try #require(before.batch.records.first { $0["type"] == "vm" }?["id"]?.stringValue)
            try await fake.fault(["malformedRow": ["id": .string(victim), "mode": .string(mode)]], token: Self.token)
            let after = try await walk(fake.configuration(token: Self.token))
            #expect(after.stats.rewalks == 0)
            #expect(Validation.errors(after.batch) == [])
            let skipped = after.batch.skipped.filter { $0.kind == .resource }
            let skippedBefore = before.batch.skipped.filter { $0.kind == .resource }
            if let reason {
                let skip = try #require(skipped.first { $0.reason == reason })
                #expect(skip.id == (mode == "id" ? nil : victim))
                #expect(after.batch.records.count == before.batch.records.count - 1)
                #expect(skipped.count == skippedBefore.count + 1)
            } else {
                // A wrong-typed status or name is stored with a note (or as text), not skipped.
                let record = try #require(after.batch.records.first { $0["id"]?.stringValue == victim })
                #expect(after.batch.records.count == before.batch.records.count)
                if mode == "status" {
                    #expect(record["status"] == "unknown")
                    #expect(record.pulseDetails?["notes"] != nil)
                } else {
                    #expect(record["name"] == "42")
                }
            }
        }
    }

    @Test func aPageSlowerThanTheTimeoutIsATimeout() async throws {
        try await FakePulse.with(["--resources", "150", "--seed", "1"]) { fake in
            try await fake.fault(["slowPage": ["page": 2, "seconds": 3]])
            var configuration = fake.configuration(retries: 1)
            configuration.requestTimeout = .milliseconds(700)
            let error = await walkError(configuration)
            #expect(error == .timeout(route: "/api/resources?limit=100&page=2&sort=name", seconds: 0.7))
            #expect(error?.description == "Pulse did not answer /api/resources?limit=100&page=2&sort=name within 0.7 s.")
        }
    }

    @Test func aGeneratedFleetJoinsEveryAlertButTheOneForAGuestThatIsGone() async throws {
        try await FakePulse.with(["--resources", "2000", "--seed", "7"]) { fake in
            let result = try await walk(fake.configuration())
            // The fake's one alert for pve-gone:pve99:999 matches nothing; every other legacy id joins.
            #expect(result.stats.unjoinedAlerts == 1)
            #expect(result.batch.alerts.contains { $0["resourceId"] == "pve-gone:pve99:999" })
            let ids = Set(result.batch.records.compactMap { $0["id"]?.stringValue })
            #expect(result.batch.alerts.filter { ids.contains($0["resourceId"]?.stringValue ?? "") }.count == result.batch.alerts.count - 1)
            #expect(result.stats.join.unjoinedRecoveryPoints == 0)
            #expect(!result.batch.agents.isEmpty)
            #expect(result.batch.agents.allSatisfy { ($0["endpoint"]?.stringValue ?? "").hasPrefix("pulse:") })
        }
    }
}
