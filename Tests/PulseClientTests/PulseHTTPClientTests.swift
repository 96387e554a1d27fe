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
            let sleeper = RecordingSleeper()
            let error = try #require(await walkError(fake.configuration(token: Self.readOnly), sleeper: sleeper.sleeper))
            guard case .forbidden(_, let scopes, let code, _) = error else {
                Issue.record("expected a 403, got \(error)")
                return
            }
            #expect(code == "missing_scope")
            #expect(!scopes.isEmpty)
            #expect(scopes.allSatisfy { error.description.contains($0) })
            #expect(!error.description.contains(Self.readOnly))
            #expect(sleeper.recorded.isEmpty, "a 403 is never retried")
        }
    }

    @Test func theTokenTravelsOnlyInItsHeader() async throws {
        try await FakePulse.with(["--resources", "50", "--seed", "1", "--token", Self.token]) { fake in
            _ = try await walk(fake.configuration(token: Self.token))
            let log = try await withClient(fake.configuration(token: Self.token)) { try await $0.get("/_fake/log") }
            let text = String(decoding: log.body, as: UTF8.self)
            #expect(!text.isEmpty)
            // The fake logs request paths: none carries the token.
            let paths = (try log.json().arrayValue ?? []).compactMap { $0["path"]?.stringValue }
            #expect(!paths.isEmpty)
            #expect(paths.allSatisfy { !$0.contains(Self.token) })
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
        try await FakePulse.with(["--resources", "50", "--seed", "1", "--token", Self.token, "--fixtures"]) { fake in
            try await withClient(fake.configuration(token: Self.token)) { client in
                let metrics = PulseMetrics(client: client)
                let points = try await metrics.history(resourceType: "vm", resourceId: "pve-lab:pve1:101", metric: "cpu", range: "1h")
                #expect(!points.isEmpty)
                do {
                    _ = try await metrics.history(resourceType: "vm", resourceId: "pve-lab:pve1:101", metric: "cpu", range: "30d")
                    Issue.record("a 30-day range should be beyond the fake's license")
                } catch let error as PulseError {
                    #expect(error.code == "pulse_payment_required", "\(error)")
                    guard case .paymentRequired(_, let message) = error else { return }
                    #expect(message != nil)
                }
            }
        }
    }
}
