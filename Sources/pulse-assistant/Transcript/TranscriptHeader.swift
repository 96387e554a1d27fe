import AssistantTools
import Fleet
import JSON
import Policy
import ResourceStore

/// What a replay needs to rebuild the session's world: the fixture, the clock, the level, the
/// endpoints and their faults, and what the client declared.
struct TranscriptHeader: Equatable {
    static let version = 1

    enum Fixture: Equatable {
        /// The demo fleet, generated as of ``TranscriptHeader/clock``.
        case demo(seed: UInt64, scale: Int)
        /// A snapshot file, relative to the transcript.
        case snapshot(String)
        /// The repository's fake Pulse, synced into a private store (`serve --pulse-url`).
        case pulse(PulseFixture)
    }

    /// The fake Pulse of a `{"pulse": {"resources", "seed", "faults"}}` fixture.
    struct PulseFixture: Equatable {
        var resources = 300
        var seed = 1
        /// Fault documents, each as the fake's `POST /_fake/faults` takes it.
        var faults: [JSONValue] = []
    }

    /// Reference endpoints to start: on the demo's agents and connections named (`*`: all of them).
    struct Endpoints: Equatable {
        var ids: [String]
        var delayMilliseconds = 0
        var failActions: [String] = []
        var dropConnection = false
        var garbage = false
    }

    var fixture: Fixture
    /// The directory the recorded demo fleet's sockets were in; a replay's private one is written back as this.
    var demoEndpoints: String = DemoFleet.defaultEndpointDirectory
    var clock: Timestamp
    var controlLevel: ControlLevel
    var audit: AuditScope = .all
    var maxLineBytes: Int?
    /// The operator's config file (`serve --config`) without its token sources: deadlines, windows.
    var config: JSONValue?
    var endpoints: [Endpoints] = []
    /// The client's `capabilities` from `initialize`, for people reading the file (the replay sends the recorded `initialize`).
    var client: JSONValue = .null

    init(fixture: Fixture, clock: Timestamp, controlLevel: ControlLevel) {
        self.fixture = fixture
        self.clock = clock
        self.controlLevel = controlLevel
    }

    init(_ value: JSONValue) throws {
        guard case .object(let object) = value else { throw TranscriptError("the header is {\"transcript\": {...}}") }
        guard object["version"]?.integerValue == Int64(Self.version) else {
            throw TranscriptError("version must be \(Self.version)")
        }
        switch (object["fixture"]?["demo"], object["fixture"]?["snapshot"]?.stringValue) {
        case (nil, nil) where object["fixture"]?["pulse"] != nil:
            let pulse = object["fixture"]?["pulse"]
            fixture = .pulse(PulseFixture(
                resources: Int(try Self.whole(pulse?["resources"], "fixture.pulse.resources", default: 300, in: 10...100_000)),
                seed: Int(try Self.whole(pulse?["seed"], "fixture.pulse.seed", default: 1, in: 0...Int64(Int32.max))),
                faults: try (pulse?["faults"]?.arrayValue ?? []).map { fault in
                    guard case .object = fault else { throw TranscriptError("fixture.pulse.faults holds fault objects") }
                    return fault
                }
            ))
        case (let demo?, nil):
            fixture = .demo(
                seed: UInt64(try Self.whole(demo["seed"], "fixture.demo.seed", default: 1, in: 0...Int64.max)),
                scale: Int(try Self.whole(demo["scale"], "fixture.demo.scale", default: 1, in: 1...100_000))
            )
        case (nil, let path?):
            try FixturePath.check(path)
            fixture = .snapshot(path)
        default:
            throw TranscriptError("fixture must be {\"demo\": {\"seed\", \"scale\"}}, {\"snapshot\": PATH} or {\"pulse\": {\"resources\", \"seed\", \"faults\"}}")
        }
        guard let clockText = object["clock"]?.stringValue, let clock = Timestamp(clockText) else {
            throw TranscriptError("clock must be an RFC 3339 time")
        }
        self.clock = clock
        guard let level = object["controlLevel"]?.stringValue.flatMap(ControlLevel.init(rawValue:)) else {
            throw TranscriptError("controlLevel must be read-only, controlled or autonomous")
        }
        controlLevel = level
        demoEndpoints = object["demoEndpoints"]?.stringValue ?? DemoFleet.defaultEndpointDirectory
        audit = object["audit"]?.stringValue.flatMap(AuditScope.init(rawValue:)) ?? .all
        if object["maxLineBytes"] != nil {
            maxLineBytes = Int(try Self.whole(object["maxLineBytes"], "maxLineBytes", default: 0, in: 1024...(1 << 30)))
        }
        config = object["config"]
        endpoints = try (object["endpoints"]?.arrayValue ?? []).map { spec in
            guard let ids = spec["for"]?.arrayValue?.compactMap(\.stringValue), !ids.isEmpty else {
                throw TranscriptError("each endpoints entry names the agents or connections it serves: \"for\": [\"*\"] or ids")
            }
            return Endpoints(
                ids: ids, delayMilliseconds: Int(try Self.whole(spec["delayMs"], "endpoints.delayMs", default: 0, in: 0...600_000)),
                failActions: spec["failActions"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                dropConnection: spec["dropConnection"]?.boolValue ?? false, garbage: spec["garbage"]?.boolValue ?? false
            )
        }
        client = object["client"] ?? .null
    }

    /// A whole number in `range`, or `fallback` when absent: anything else is refused by name, before
    /// a conversion could trap on it (`"seed": -1`).
    private static func whole(_ value: JSONValue?, _ name: String, default fallback: Int64, in range: ClosedRange<Int64>) throws -> Int64 {
        guard let value else { return fallback }
        guard let number = value.integerValue, range.contains(number) else {
            throw TranscriptError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    var json: JSONValue {
        var object: JSONObject = ["version": .integer(Int64(Self.version))]
        switch fixture {
        case .demo(let seed, let scale): object["fixture"] = ["demo": ["seed": .integer(Int64(seed)), "scale": .integer(Int64(scale))]]
        case .snapshot(let path): object["fixture"] = ["snapshot": .string(path)]
        case .pulse(let pulse):
            var spec: JSONObject = ["resources": .integer(Int64(pulse.resources)), "seed": .integer(Int64(pulse.seed))]
            if !pulse.faults.isEmpty { spec["faults"] = .array(pulse.faults) }
            object["fixture"] = ["pulse": .object(spec)]
        }
        object["demoEndpoints"] = .string(demoEndpoints)
        object["clock"] = .string(clock.description)
        object["controlLevel"] = .string(controlLevel.rawValue)
        object["audit"] = .string(audit.rawValue)
        object.setIfPresent("maxLineBytes", maxLineBytes.map { .integer(Int64($0)) })
        object.setIfPresent("config", config)
        object["endpoints"] = .array(endpoints.map { spec in
            var entry: JSONObject = ["for": .array(spec.ids.map(JSONValue.string))]
            if spec.delayMilliseconds > 0 { entry["delayMs"] = .integer(Int64(spec.delayMilliseconds)) }
            if !spec.failActions.isEmpty { entry["failActions"] = .array(spec.failActions.map(JSONValue.string)) }
            if spec.dropConnection { entry["dropConnection"] = true }
            if spec.garbage { entry["garbage"] = true }
            return .object(entry)
        })
        object["client"] = client
        return .object(object)
    }
}
