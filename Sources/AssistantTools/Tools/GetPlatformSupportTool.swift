import JSON
import Policy

/// `get_platform_support`: the governed support matrix, one platform or all.
///
/// Honest about standing: admitted (`vmware-vsphere`) and presentation-only
/// ids are answered with rows that say plainly that they are not supported,
/// and at what stage they are.
package struct GetPlatformSupportTool: InlineTool {
    private let manifest: PlatformSupportManifest
    /// Each platform's row, built once: the manifest does not change while serving.
    private let rows: [PlatformID: JSONValue]
    private let allRows: JSONValue
    /// Every platform in a line: the default answer, within the context budget.
    private let summary: JSONValue

    /// The fields of a platform's row in the summary.
    static let summaryFields = ["id", "displayName", "governanceState", "readinessStage", "supported", "assistantControl"]

    package init(manifest: PlatformSupportManifest) {
        self.manifest = manifest
        self.rows = Dictionary(manifest.platforms.map { ($0.id, $0.jsonValue) }, uniquingKeysWith: { first, _ in first })
        self.allRows = [
            "platforms": .array(manifest.platforms.map(\.jsonValue)),
            "supportedCount": .integer(Int64(manifest.supportedPlatforms.count)),
        ]
        self.summary = [
            "platforms": .array(manifest.platforms.map { platform in
                let row = platform.jsonValue
                return .object(JSONObject(Self.summaryFields.map { ($0, row[$0] ?? .null) }))
            }),
            "supportedCount": .integer(Int64(manifest.supportedPlatforms.count)),
            "note": "A summary: give platform for one platform's full row, or detail: true for every full row.",
        ]
    }

    package var descriptor: ToolDescriptor {
        ToolDescriptor(
            name: "get_platform_support",
            title: "Platform support",
            description: """
                Returns the governed support matrix of Pulse platforms: each platform's governance state (supported, \
                admitted, presentation-only), readiness stage, ingestion mode, onboarding path, projections and eight \
                support-floor surfaces, including the assistant-control class that decides whether control executes, is \
                routed to a Pulse agent, or is refused. Without arguments, every platform's standing in a line; platform (an \
                id or alias such as pve or k8s) gives its full row, detail: true every full row.
                """,
            inputSchema: Schema.arguments([
                ("platform", Schema.text("A platform id or alias, any case, e.g. pve, k8s, vmware.", maxLength: 64)),
                ("detail", Schema.boolean("Every full row instead of the summary. Default false.")),
            ]),
            outputSchema: Self.outputSchema,
            annotations: .read
        )
    }

    package func respond(_ arguments: JSONObject, context: ToolContext) throws(ToolError) -> JSONValue {
        guard let name = arguments["platform"]?.stringValue else {
            return arguments["detail"]?.boolValue == true ? allRows : summary
        }
        guard let platform = manifest.platform(named: name), let row = rows[platform.id] else {
            let known = manifest.ids.map(\.rawValue).joined(separator: ", ")
            let aliases = manifest.platforms.flatMap { platform in platform.aliases.map { "\($0) → \(platform.id)" } }
            throw .rejected(
                "Unknown platform \"\(name.prefix(100))\". Known platform ids: \(known). Aliases: \(aliases.joined(separator: ", "))."
            )
        }
        return [
            "platforms": [row],
            "supportedCount": .integer(Int64(manifest.supportedPlatforms.count)),
        ]
    }

    private static let outputSchema: JSONValue = {
        let surface = Schema.string(enum: ["supported", "augmentation-only", "read-only", "n/a"], nullable: true)
        let floor = Schema.object(Surface.allCases.map { ($0.rawValue, surface) }, required: Surface.allCases.map(\.rawValue))
        let row = Schema.object([
            ("id", Schema.string("The canonical platform id.")),
            ("displayName", Schema.string()),
            ("aliases", Schema.array(of: Schema.string())),
            ("family", Schema.string("A grouping aid, not the support unit.", nullable: true)),
            ("governanceState", Schema.string(enum: ["supported", "admitted", "presentation-only"])),
            ("readinessStage", Schema.string(
                "Null for presentation-only vocabulary.", enum: ["architecture-locked", "first-lab-ready", "supported"], nullable: true
            )),
            ("supported", Schema.boolean("True only for platforms in the current support matrix.")),
            ("primaryMode", Schema.string(enum: ["api-backed", "agent-backed", "hybrid"], nullable: true)),
            ("hybrid", Schema.nullable(Schema.object(
                [("primary", Schema.string()), ("augmentation", Schema.string())], required: ["primary", "augmentation"]
            ))),
            ("optionalAugmentation", Schema.nullable(Schema.object(
                [("path", Schema.string()), ("scope", Schema.string()), ("wording", Schema.string()), ("deferred", Schema.boolean())],
                required: ["path", "scope", "wording", "deferred"]
            ))),
            ("onboardingPath", Schema.string(nullable: true)),
            ("entryPoint", Schema.string(nullable: true)),
            ("projections", Schema.array(of: Schema.string(), description: "Canonical resource types the platform projects.")),
            ("supportFloor", Schema.nullable(floor)),
            ("proposedFloor", Schema.nullable(floor)),
            ("assistantControl", Schema.string(
                "The assistant-control class; null unless supported.", enum: ["supported", "augmentation-only", "read-only", "n/a"], nullable: true
            )),
            ("statement", Schema.string("What the platform's standing means for the assistant, in plain words.")),
        ], required: summaryFields)
        return Schema.object([
            ("platforms", Schema.array(of: row)),
            ("supportedCount", ["type": "integer", "description": "How many platforms the current support matrix holds."]),
            ("note", Schema.string("Present on the summary: how to get the full rows.")),
        ], required: ["platforms", "supportedCount"])
    }()
}
