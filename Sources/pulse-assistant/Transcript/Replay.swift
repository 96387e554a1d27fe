import AssistantTools
import ControlEndpoints
import Fleet
import Foundation
import JSON
import Policy
import ResourceStore
import Synchronization

/// Plays one transcript against a fresh server and compares what comes back.
///
/// The world is rebuilt from the header: the demo fleet as of the header's clock with its endpoint
/// sockets in a private directory (or a snapshot ingested into a private store), reference endpoints
/// with the header's faults, and `pulse-assistant serve` with the fixed clock, the level and action ids
/// in sequence. The client's lines are sent in order, each request only once every earlier one (not
/// cancelled) has its answer, and each answer to a server request (an approval) once that request has
/// arrived. Then responses are compared by id as JSON values, server requests and notifications in
/// order; progress notifications (their number depends on timing) and the fields in ``volatile`` are
/// left out, and the private socket directory is written back as the recorded one.
struct Replay {
    /// Fields that differ between runs of the same session: durations.
    static let volatile: Set<String> = ["durationMicroseconds", "durationMs", "elapsedMs"]

    let path: String
    let transcript: Transcript
    let executable: URL
    let manifest: PlatformSupportManifest
    let timeout: Double

    struct Outcome {
        var differences: [String]
        /// The session as it went this time, for `--update`.
        var live: [TranscriptEntry]
        var responses: Int
    }

    func run() throws -> Outcome {
        let header = transcript.header
        let work = try Self.privateDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let sockets = work + "/e"
        try FileManager.default.createDirectory(atPath: sockets, withIntermediateDirectories: true)
        let token = Self.randomToken()

        var arguments = [
            "serve", "--clock", header.clock.description, "--control-level", header.controlLevel.rawValue,
            "--audit", header.audit.rawValue, "--sequential-ids",
        ]
        if let limit = header.maxLineBytes { arguments += ["--max-line-bytes", String(limit)] }
        if case .object(var config)? = header.config {
            // The replay's own token reaches the endpoints through the environment.
            config["endpointToken"] = nil
            config["endpointTokens"] = nil
            config["pulseToken"] = nil
            try JSONSerializer.string(.object(config)).write(toFile: work + "/config.json", atomically: true, encoding: .utf8)
            arguments += ["--config", "config.json"]
        }
        var endpointAddresses: [String: String] = [:]
        var replacements = [(sockets, header.demoEndpoints), (work, ".")]
        var fakePulse: FakePulseProcess?
        defer { fakePulse?.stop() }
        switch header.fixture {
        case .demo(let seed, let scale):
            guard seed == EmbeddedDemo.seed, scale == EmbeddedDemo.scale else {
                throw TranscriptError("\(path): the server embeds the demo fleet of seed \(EmbeddedDemo.seed), scale \(EmbeddedDemo.scale); for another, use a snapshot fixture")
            }
            arguments += ["--demo-endpoints", sockets]
            for (id, endpoint) in DemoFleet(seed: seed, scale: scale, now: header.clock, endpointDirectory: sockets).controlEndpoints {
                endpointAddresses[id] = endpoint
            }
        case .snapshot(let relative):
            guard header.endpoints.isEmpty else { throw TranscriptError("\(path): reference endpoints need the demo fixture") }
            let snapshot = try FixturePath.resolve(relative, transcript: path)
            let store = try ResourceStore.open(path: work + "/fixture.db")
            try store.ingest(.file(snapshot), manifest: manifest, now: header.clock)
            arguments += ["--store", "fixture.db"]
        case .pulse(let spec):
            guard header.endpoints.isEmpty else { throw TranscriptError("\(path): reference endpoints need the demo fixture") }
            let fake = try FakePulseProcess(spec, transcript: path, clock: header.clock, token: token, log: URL(fileURLWithPath: work + "/fakepulse.log"))
            fakePulse = fake
            // One sync at the start: a later one would land at a time of its own in the session.
            arguments += ["--pulse-url", fake.url, "--store", "fixture.db", "--sync-interval", "86400"]
            replacements.insert((fake.url, FakePulseProcess.recordedURL), at: 0)
        }

        let endpoints = try header.endpoints.enumerated().map { index, spec in
            try Self.endpoint(spec, addresses: endpointAddresses, state: "\(work)/state-\(index).json", token: token)
        }
        defer { endpoints.forEach { $0.stop() } }

        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PULSE_ASSISTANT_") }
        environment[EndpointTokens.defaultVariable] = token
        environment[PulseOptions.tokenVariable] = token
        let server = try ServerProcess(
            executable: executable, arguments: arguments, directory: URL(fileURLWithPath: work), environment: environment,
            log: URL(fileURLWithPath: work + "/server.log")
        )
        defer { server.kill() }
        var driver = Driver(server: server, timeout: timeout)
        var problems = driver.play(transcript.entries)
        let code = server.finish(timeout: timeout)
        if code != 0 {
            problems.append("the server exited \(code.map(String.init) ?? "only when killed") at the end of input")
        }
        if !problems.isEmpty, let log = try? String(contentsOfFile: work + "/server.log", encoding: .utf8), !log.isEmpty {
            problems.append("server stderr: " + log.suffix(800).replacingOccurrences(of: "\n", with: " | "))
        }
        let received = server.messages.map { JSONDiff.substituting(replacements, in: $0) }
        let live = driver.merged(with: received)
        let expected = transcript.entries.compactMap { entry -> JSONValue? in if case .s2c(let value) = entry { value } else { nil } }
        let differences = problems + Self.compare(expected: expected, got: received)
        return Outcome(differences: differences, live: live, responses: received.filter { $0["id"] != nil && $0["method"] == nil }.count)
    }

    // MARK: - Comparing

    /// What the server said, sorted the way it is compared.
    struct Said {
        var responses: [(id: JSONValue, body: JSONValue)] = []
        var unaddressed: [JSONValue] = []
        var requests: [JSONValue] = []
        var notifications: [JSONValue] = []

        init(_ messages: [JSONValue]) {
            for message in messages.map({ JSONDiff.removing(Replay.volatile, from: $0) }) {
                switch (message["id"], message["method"]?.stringValue) {
                case (nil, "notifications/progress"?): continue
                case (nil, _?): notifications.append(message)
                case (.null?, nil): unaddressed.append(message)
                case (let id?, nil): responses.append((id, message))
                case (_?, _?): requests.append(message)
                default: notifications.append(message)
                }
            }
        }
    }

    static func compare(expected: [JSONValue], got: [JSONValue]) -> [String] {
        let (recorded, live) = (Said(expected), Said(got))
        var out: [String] = []
        // By id, through a dictionary: a search per response made a long session's replay quadratic.
        let liveByID = Dictionary(live.responses.map { (JSONSerializer.string($0.id), $0.body) }, uniquingKeysWith: { first, _ in first })
        let recordedIDs = Set(recorded.responses.map { JSONSerializer.string($0.id) })
        for (id, body) in recorded.responses {
            let label = "response to id \(JSONSerializer.string(id))"
            guard let match = liveByID[JSONSerializer.string(id)] else {
                out.append("\(label): expected \(JSONDiff.short(body)), got none")
                continue
            }
            out += JSONDiff.differences(body, match).map { "\(label): \($0)" }
        }
        for (id, body) in live.responses where !recordedIDs.contains(JSONSerializer.string(id)) {
            out.append("response to id \(JSONSerializer.string(id)): not in the transcript, got \(JSONDiff.short(body))")
        }
        for (kind, a, b) in [("error without an id", recorded.unaddressed, live.unaddressed),
                             ("server request", recorded.requests, live.requests),
                             ("notification", recorded.notifications, live.notifications)] {
            for index in 0..<max(a.count, b.count) {
                let label = "\(kind) #\(index + 1)"
                let left: JSONValue? = index < a.count ? a[index] : nil
                let right: JSONValue? = index < b.count ? b[index] : nil
                if let left, let right {
                    out += JSONDiff.differences(left, right).map { "\(label): \($0)" }
                } else if let left {
                    out.append("\(label): expected \(JSONDiff.short(left)), got none")
                } else if let right {
                    out.append("\(label): not in the transcript, got \(JSONDiff.short(right))")
                }
            }
        }
        return out
    }

    // MARK: - The world

    static func endpoint(_ spec: TranscriptHeader.Endpoints, addresses: [String: String], state: String, token: String) throws -> ReferenceEndpoint {
        let ids = spec.ids == ["*"] ? addresses.keys.sorted() : spec.ids
        let listen = try ids.map { id in
            guard let text = addresses[id] else {
                throw TranscriptError("endpoints: no agent or connection '\(id)' in the fixture; known: \(addresses.keys.sorted().joined(separator: ", "))")
            }
            return try EndpointAddress(parsing: text)
        }
        let faults = ReferenceEndpoint.Faults(
            delayMilliseconds: spec.delayMilliseconds, failActions: Set(spec.failActions), dropConnection: spec.dropConnection,
            garbage: spec.garbage
        )
        let endpoint = ReferenceEndpoint(listen: listen, statePath: state, token: token, faults: faults)
        do {
            try endpoint.start()
        } catch {
            throw TranscriptError("cannot start a reference endpoint: \(error)")
        }
        return endpoint
    }

    static func privateDirectory() throws -> String {
        var template = Array("/tmp/pa-replay-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TranscriptError("cannot make a private directory under /tmp") }
        return String(cString: made)
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }
}
