// swift-tools-version: 6.1
import PackageDescription

/// One set of Swift settings for every target (house rule 1).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "pulse-assistant",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pulse-assistant", targets: ["pulse-assistant"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Named for their types only (TLS configuration, the errors a connection fails with); AsyncHTTPClient brings them.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // The governed support model and the control decision: pure, no I/O, imports nothing of ours.
        .target(
            name: "Policy",
            resources: [.copy("Resources/platform-support.json")],
            swiftSettings: settings
        ),
        // JSON values, the strict parser, the serializer and writer, line framing: knows no wire and no Pulse.
        .target(name: "JSON", swiftSettings: settings),
        // JSON-RPC messages, error codes, the connection and its one serial writer: knows nothing of Pulse.
        .target(
            name: "JSONRPC",
            dependencies: ["JSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        // The process-wide SQLite settings Swift cannot make itself (`sqlite3_config` is variadic).
        .target(
            name: "SQLiteLibrarySettings",
            dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // The canonical records (resource, agent, connection, alert, recovery point, metric sample) and their
        // validation against Policy; snapshot reading; the demo-fleet generator. No SQLite.
        .target(
            name: "Fleet",
            // SHA-256 for the JSON Lines end record.
            dependencies: ["Policy", "JSON", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings
        ),
        // The tamper-evident audit chain: a JSON Lines file with flock and a head file (or memory), verify, export.
        .target(
            name: "AuditLog",
            dependencies: [
                "JSON",
                // SHA-256 for the audit chain.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // SQLite: canonical resources, alerts, recovery points, metrics, agents, control actions; snapshot
        // ingest; the audit chain beside a file store (AuditLog).
        // How it reaches SQLite (the system libsqlite3): GRDB for the one writer (a DatabasePool in WAL mode,
        // or a DatabaseQueue in memory), its migrations and the control actions; SQLite's C API (GRDBSQLite)
        // for the read connections (ReadConnection, prepared statements kept per connection) and the ingest's
        // bulk binds (IngestStatement), where GRDB's per-row wrappers cost more than the statement; and
        // SQLiteLibrarySettings for the process-wide sqlite3_config Swift cannot call.
        .target(
            name: "ResourceStore",
            dependencies: [
                "Policy",
                "JSON",
                "Fleet",
                "AuditLog",
                "SQLiteLibrarySettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SHA-256 for the content hash a sync keeps per row.
                .product(name: "Crypto", package: "swift-crypto"),
                // Bulk ingest binds rows through SQLite's C API: GRDB's per-argument wrapper costs more than the insert.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        // A running Pulse server: HTTP (AsyncHTTPClient), the paged walk of resources, alerts and recovery
        // points, the mapping of Pulse's rows to canonical records (a FleetBatch), and the action lifecycle
        // the pulse control route sends through (ControlEndpoints' PulseLifecycle seam).
        .target(
            name: "PulseClient",
            dependencies: [
                "JSON",
                "Fleet",
                "Policy",
                "ControlEndpoints",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        // Control endpoints: the client that carries an action to a Pulse agent or platform connection
        // (unix or tcp, line-delimited JSON-RPC), and the reference endpoint for tests and demos.
        .target(
            name: "ControlEndpoints",
            dependencies: ["JSON", "JSONRPC", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        // The MCP server: lifecycle, tool registry and handlers, dispatch of control actions.
        .target(
            name: "AssistantTools",
            dependencies: [
                "Policy",
                "JSON",
                "JSONRPC",
                "Fleet",
                "AuditLog",
                "ResourceStore",
                "ControlEndpoints",
                .product(name: "Logging", package: "swift-log"),
                // AES-GCM and HKDF for the sealed requestState of 2026-07-28 approvals.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // The fuzz target over the untrusted-input path (line framer, JSON parser, argument validator)
        // and its deterministic mutation harness.
        .target(name: "FuzzTargets", dependencies: ["JSON", "JSONRPC", "AssistantTools"], swiftSettings: settings),
        // `pulse-assistant-fuzz`: the harness, or libFuzzer's entry when built by scripts/fuzz.
        .executableTarget(name: "pulse-assistant-fuzz", dependencies: ["FuzzTargets"], swiftSettings: settings),
        // The CLI: wires dependencies and calls the libraries.
        .executableTarget(
            name: "pulse-assistant",
            dependencies: [
                "AssistantTools",
                "ControlEndpoints",
                "JSON",
                "JSONRPC",
                "Fleet",
                "AuditLog",
                "Policy",
                "ResourceStore",
                "PulseClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "PolicyTests", dependencies: ["Policy"], swiftSettings: settings),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "Policy", "JSON"], swiftSettings: settings),
        .testTarget(
            name: "PulseClientTests",
            dependencies: [
                "PulseClient", "Fleet", "Policy", "JSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: settings
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: settings),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSON", "JSONRPC"], swiftSettings: settings),
        .testTarget(
            name: "ControlEndpointsTests",
            dependencies: ["ControlEndpoints", "JSON", "JSONRPC", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ResourceStoreTests",
            dependencies: [
                "ResourceStore", "Fleet", "AuditLog", "Policy", "JSON",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "AssistantToolsTests",
            dependencies: [
                "AssistantTools", "ControlEndpoints", "JSON", "JSONRPC", "Fleet", "AuditLog", "Policy", "ResourceStore", "PulseClient",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"], swiftSettings: settings),
        .testTarget(
            name: "PulseAssistantTests",
            dependencies: ["pulse-assistant", "AssistantTools", "JSON", "JSONRPC", "Fleet", "AuditLog", "Policy", "ResourceStore"],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
