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
    ],
    targets: [
        // The governed support model and the control decision: pure, no I/O, imports nothing of ours.
        .target(
            name: "Policy",
            resources: [.copy("Resources/platform-support.json")],
            swiftSettings: settings
        ),
        // Line framing, JSON values, JSON-RPC messages, one serial writer: knows nothing of Pulse.
        .target(
            name: "JSONRPC",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        // The process-wide SQLite settings Swift cannot make itself (`sqlite3_config` is variadic).
        .target(
            name: "SQLiteLibrarySettings",
            dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // SQLite through GRDB: canonical resources, alerts, recovery points, metrics, agents, control actions,
        // the audit chain; snapshot ingest.
        // JSON values come from JSONRPC, whose JSON layer knows nothing of Pulse either.
        .target(
            name: "ResourceStore",
            dependencies: [
                "Policy",
                "JSONRPC",
                "SQLiteLibrarySettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                // Bulk ingest binds rows through SQLite's C API: GRDB's per-argument wrapper costs more than the insert.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // SHA-256 for the audit chain.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // Control endpoints: the client that carries an action to a Pulse agent or platform connection
        // (unix or tcp, line-delimited JSON-RPC), and the reference endpoint for tests and demos.
        .target(
            name: "ControlEndpoints",
            dependencies: ["JSONRPC", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        // The MCP server: lifecycle, tool registry and handlers, dispatch of control actions.
        .target(
            name: "AssistantTools",
            dependencies: [
                "Policy",
                "JSONRPC",
                "ResourceStore",
                "ControlEndpoints",
                .product(name: "Logging", package: "swift-log"),
                // AES-GCM and HKDF for the sealed requestState of 2026-07-28 approvals.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // The CLI: wires dependencies and calls the libraries.
        .executableTarget(
            name: "pulse-assistant",
            dependencies: [
                "AssistantTools",
                "ControlEndpoints",
                "JSONRPC",
                "Policy",
                "ResourceStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .testTarget(name: "PolicyTests", dependencies: ["Policy"], swiftSettings: settings),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC"], swiftSettings: settings),
        .testTarget(
            name: "ControlEndpointsTests",
            dependencies: ["ControlEndpoints", "JSONRPC", .product(name: "Logging", package: "swift-log")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ResourceStoreTests",
            dependencies: [
                "ResourceStore", "Policy", "JSONRPC",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .testTarget(
            name: "AssistantToolsTests",
            dependencies: ["AssistantTools", "ControlEndpoints", "JSONRPC", "Policy", "ResourceStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "PulseAssistantTests",
            dependencies: ["pulse-assistant", "AssistantTools", "JSONRPC", "Policy", "ResourceStore"],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
