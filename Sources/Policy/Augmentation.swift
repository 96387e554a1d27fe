/// An optional augmentation path of a platform: a secondary governed path that enriches it without
/// replacing its primary ingestion mode (seed "Optional Augmentation Path").
///
/// It matters at call time: a platform whose assistant control is `augmentation-only` is controlled only
/// through this path (the unified Pulse agent on the resource's host), never through its API.
package struct Augmentation: Sendable, Codable, Hashable {
    /// Which path augments; today always `unified-agent`, the unified Pulse agent.
    package var path: String
    /// Where that agent runs: `host`, or `host-or-guest` (vSphere's future path).
    package var scope: String
    /// The seed's own words for the rule, e.g. "host agent may augment into hybrid".
    package var wording: String
    /// `true` when the path is a future direction only (vSphere: "later, not phase 1").
    package var isDeferred: Bool

    package init(path: String, scope: String, wording: String, isDeferred: Bool = false) {
        self.path = path
        self.scope = scope
        self.wording = wording
        self.isDeferred = isDeferred
    }

    private enum CodingKeys: String, CodingKey {
        case path, scope, wording
        case isDeferred = "deferred"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        scope = try container.decode(String.self, forKey: .scope)
        wording = try container.decode(String.self, forKey: .wording)
        // Absent means "available now": only a deferred path has to say so.
        isDeferred = try container.decodeIfPresent(Bool.self, forKey: .isDeferred) ?? false
    }
}
