import Fleet
import JSON
import Testing
@testable import PulseClient

@Suite("PulseHTTPClient against the fake Pulse", .serialized, .enabled(if: FakePulse.hasPython, "python3 is missing"))
struct PulseHTTPClientTests {
    static let token = "http-token-5a6b7c8d9e"
    static let readOnly = "read-only-token-1f2e3d"

    @Test func noTokenIsUnauthorizedAndSaysHowToFixIt() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "1", "--token", Self.token]) { fake in
            let sleeper = RecordingSleeper()
            let error = await walkError(fake.configuration(token: nil), sleeper: sleeper.sleeper)
            #expect(error == .unauthorized(route: "/api/resources?limit=100&page=1&sort=name"))
            #expect(error?.description.contains("$PULSE_API_TOKEN") == true)
            #expect(sleeper.recorded.isEmpty, "a 401 is never retried")
        }
    }

    @Test func aWrongTokenIsUnauthorizedWithoutTheTokenInTheMessage() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "1", "--token", Self.token]) { fake in
            let wrong = "wrong-token-0000111122223333"
            let error = try #require(await walkError(fake.configuration(token: wrong)))
            #expect(error.code == "pulse_unauthorized")
            for text in [error.description, String(reflecting: error)] {
                #expect(!text.contains(wrong))
                #expect(!text.contains(Self.token))
            }
        }
    }

    @Test func aTokenWithoutTheScopeIsForbiddenAndNamesTheScope() async throws {
        try await FakePulse.with(
            ["--resources", "50", "--seed", "1", "--token", Self.token, "--read-only-token", Self.readOnly]
        ) { fake in
            // The read-only token (monitoring:read) reads the whole fleet…
            let result = try await walk(fake.configuration(token: Self.readOnly))
            #expect(!result.batch.records.isEmpty)
            // …and an action route refuses it, naming the scopes that would do.
            let error = await Self.error {
                try await withClient(fake.configuration(token: Self.readOnly)) { client in
                    try await client.postJSON("/api/actions/plan", body: ["requestId": "r-1"], isIdempotent: true)
                }
            }
            #expect(error == .forbidden(route: "/api/actions/plan", requiredScopes: ["actions:plan", "ai:execute"], code: "missing_scope", message: nil))
            #expect(error?.description.contains("needs one of the scopes actions:plan, ai:execute") == true)
            #expect(error?.description.contains(Self.readOnly) == false)
            let log = try await withClient(fake.configuration()) { try await $0.get("/_fake/log") }
            let plans = (try log.json().arrayValue ?? []).filter { $0["path"]?.stringValue == "/api/actions/plan" }
            #expect(plans.count == 1, "a 403 is never retried")
        }
    }

    @Test func theOrganisationHeaderIsSentWhenConfigured() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "1", "--token", Self.token, "--org", "acme"]) { fake in
            var configuration = fake.configuration(token: Self.token)
            let refused = await walkError(configuration)
            #expect(refused?.code == "pulse_forbidden")
            #expect(refused?.description.contains("access_denied") == true)
            configuration.orgID = "acme"
            let result = try await walk(configuration)
            #expect(!result.batch.records.isEmpty)
        }
    }

    /// The ``PulseError`` `body` throws, or nil.
    static func error(_ body: () async throws -> some Any) async -> PulseError? {
        do {
            _ = try await body()
            return nil
        } catch let error as PulseError {
            return error
        } catch {
            return .invalidConfiguration(reason: "unexpected \(error)")
        }
    }

    @Test func theTokenTravelsOnlyInItsHeader() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "1", "--token", Self.token]) { fake in
            _ = try await walk(fake.configuration(token: Self.token))
            let log = try await withClient(fake.configuration()) { try await $0.get("/_fake/log") }
            let calls = try log.json().arrayValue ?? []
            #expect(calls.count >= 3)
            #expect(calls.allSatisfy { $0["tokenPresent"] == true })
            // The fake redacts a configured token wherever it appears in a query or body: none did.
            #expect(!String(decoding: log.body, as: UTF8.self).contains("[redacted]"))
        }
    }

    @Test func nothingLoggedAtTraceCarriesTheToken() async throws {
        try await FakePulse.with(["--resources", "250", "--seed", "1", "--token", Self.token]) { fake in
            try await fake.fault(["errorPage": ["page": 2, "status": 500, "times": 1]], token: Self.token)
            let log = CapturingLog()
            let client = try PulseHTTPClient(configuration: fake.configuration(token: Self.token), logger: log.logger(), sleeper: .immediate)
            let walker = PulseWalker(client: client, manifest: PulseFixtures.manifest, logger: log.logger())
            _ = try await walker.sync()
            await client.shutdown()
            #expect(log.all.count > 3)
            #expect(log.all.contains { $0.level == .warning && $0.text.contains("HTTP 500") })
            #expect(log.all.allSatisfy { !$0.text.contains(Self.token) })
        }
    }

    @Test func skippingVerificationIsAWarningAtCreation() async throws {
        let log = CapturingLog()
        var configuration = PulseConfiguration(baseURL: "https://127.0.0.1:1", token: PulseToken(Self.token))
        configuration.insecureSkipVerify = true
        let client = try PulseHTTPClient(configuration: configuration, logger: log.logger(level: .info))
        await client.shutdown()
        #expect(log.all.filter { $0.level == .warning }.count == 1)
        #expect(log.all.first?.text.contains("insecureSkipVerify") == true)
        #expect(log.all.allSatisfy { !$0.text.contains(Self.token) })
    }

    @Test func httpsWithTheCAFileIsTrusted() async throws {
        try await FakePulse.with(["--resources", "150", "--seed", "2", "--token", Self.token, "--tls"]) { fake in
            let caFile = try #require(fake.caFile)
            #expect(fake.url.hasPrefix("https://"))
            let result = try await walk(fake.configuration(token: Self.token, caFile: caFile))
            #expect(Set(accountedIds(result.batch)).count == 150)
        }
    }

    @Test func httpsWithoutTheCAFileFailsAsTLSAndSaysToSetIt() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "2", "--token", Self.token, "--tls"]) { fake in
            let sleeper = RecordingSleeper()
            let error = try #require(await walkError(fake.configuration(token: Self.token), sleeper: sleeper.sleeper))
            #expect(error.code == "pulse_tls", "\(error)")
            #expect(error.description.contains("pulseCAFile"))
            #expect(!error.description.contains(Self.token))
            #expect(sleeper.recorded.isEmpty, "a certificate failure is not retried")
        }
    }

    @Test func insecureSkipVerifyAcceptsTheSelfSignedCertificate() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "2", "--token", Self.token, "--tls"]) { fake in
            var configuration = fake.configuration(token: Self.token)
            configuration.insecureSkipVerify = true
            let result = try await walk(configuration)
            #expect(Set(accountedIds(result.batch)).count == 50)
        }
    }

    @Test func plainHTTPToATLSPortIsAnError() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "2", "--tls"]) { fake in
            var configuration = fake.configuration(retries: 0)
            configuration.baseURL = fake.url.replacingOccurrences(of: "https://", with: "http://")
            configuration.requestTimeout = .seconds(5)
            let error = await walkError(configuration)
            #expect(error != nil)
        }
    }

    @Test func nothingListeningIsUnreachableAfterTheRetries() async throws {
        let fake = try await FakePulse.start(["--resources", "10", "--seed", "1"])
        let url = fake.url
        fake.stop()
        var configuration = fake.configuration()
        configuration.baseURL = url
        let sleeper = RecordingSleeper()
        let error = await walkError(configuration, sleeper: sleeper.sleeper)
        #expect(error == .unreachable(baseURL: url, reason: "connection refused"))
        #expect(sleeper.recorded == [.milliseconds(10), .milliseconds(20), .milliseconds(40)])
        #expect(error?.description == "Cannot reach Pulse at \(url): connection refused.")
    }

    @Test func aServerThatGoesDownIsUnreachable() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "1"]) { fake in
            try await fake.fault(["down": true])
            let error = try #require(await walkError(fake.configuration(retries: 1)))
            #expect(error.code == "pulse_unreachable", "\(error)")
        }
    }

    @Test func aMissingCAFileIsAConfigurationError() {
        let configuration = PulseConfiguration(baseURL: "https://127.0.0.1:1", token: nil, caFilePath: "/nonexistent/ca.pem")
        #expect(throws: PulseError.self) { try PulseHTTPClient(configuration: configuration) }
    }

    @Test func metricHistoryReadsPointsAndA402SaysWhy() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "1", "--token", Self.token]) { fake in
            let result = try await walk(fake.configuration(token: Self.token))
            let targets = result.batch.records.compactMap { $0.pulseDetails?["metricsTarget"]?.objectValue }
            let target = try #require(targets.first)
            let type = try #require(target["resourceType"]?.stringValue)
            let id = try #require(target["resourceId"]?.stringValue)
            try await withClient(fake.configuration(token: Self.token)) { client in
                let metrics = PulseMetrics(client: client)
                let points = try await metrics.history(resourceType: type, resourceId: id, metric: "cpu", range: "1h")
                #expect(points.count > 10)
                #expect(zip(points, points.dropFirst()).allSatisfy { $0.at < $1.at })
                let error = await Self.error {
                    try await metrics.history(resourceType: type, resourceId: id, metric: "cpu", range: "30d")
                }
                guard case .paymentRequired(let route, let message?)? = error else {
                    Issue.record("expected a 402 with Pulse's message, got \(String(describing: error))")
                    return
                }
                #expect(route.hasPrefix("/api/metrics-store/history?resourceType="))
                #expect(error?.description.contains(message) == true)
            }
        }
    }
}
