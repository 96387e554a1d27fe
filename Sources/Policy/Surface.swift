/// One of the eight product surfaces of a support-floor row (seed "Support Floor").
///
/// The raw value is the key used in `platform-support.json`, so a violation's field path
/// (`supportFloor.assistantControl`) is the JSON path a reader can find in the file.
package enum Surface: String, CaseIterable, Sendable, Codable, Hashable {
    case setup
    case visibility
    case workloads
    case storage
    case recovery
    case alerts
    case assistantRead
    case assistantControl

    /// The column heading the seed uses for this surface.
    package var title: String {
        switch self {
        case .setup: "Setup"
        case .visibility: "Visibility"
        case .workloads: "Workloads"
        case .storage: "Storage"
        case .recovery: "Recovery"
        case .alerts: "Alerts"
        case .assistantRead: "Assistant read"
        case .assistantControl: "Assistant control"
        }
    }
}
