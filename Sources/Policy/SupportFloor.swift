/// One support-floor row: a value for each of the eight product surfaces.
///
/// Every surface is optional so that a draft row with a blank cell still decodes; the governance lint
/// then reports the blank ("Blank, implied, or hand-wavy coverage is not acceptable").
package struct SupportFloor: Sendable, Codable, Hashable {
    package var setup: SupportValue?
    package var visibility: SupportValue?
    package var workloads: SupportValue?
    package var storage: SupportValue?
    package var recovery: SupportValue?
    package var alerts: SupportValue?
    package var assistantRead: SupportValue?
    package var assistantControl: SupportValue?

    package init(
        setup: SupportValue? = nil, visibility: SupportValue? = nil, workloads: SupportValue? = nil,
        storage: SupportValue? = nil, recovery: SupportValue? = nil, alerts: SupportValue? = nil,
        assistantRead: SupportValue? = nil, assistantControl: SupportValue? = nil
    ) {
        self.setup = setup
        self.visibility = visibility
        self.workloads = workloads
        self.storage = storage
        self.recovery = recovery
        self.alerts = alerts
        self.assistantRead = assistantRead
        self.assistantControl = assistantControl
    }

    /// The value of one surface, `nil` when the row leaves it blank.
    package subscript(surface: Surface) -> SupportValue? {
        get {
            switch surface {
            case .setup: setup
            case .visibility: visibility
            case .workloads: workloads
            case .storage: storage
            case .recovery: recovery
            case .alerts: alerts
            case .assistantRead: assistantRead
            case .assistantControl: assistantControl
            }
        }
        set {
            switch surface {
            case .setup: setup = newValue
            case .visibility: visibility = newValue
            case .workloads: workloads = newValue
            case .storage: storage = newValue
            case .recovery: recovery = newValue
            case .alerts: alerts = newValue
            case .assistantRead: assistantRead = newValue
            case .assistantControl: assistantControl = newValue
            }
        }
    }

    /// The assistant-control class, `nil` when the cell is blank or not one of the four classes.
    package var assistantControlClass: AssistantControlClass? {
        assistantControl.flatMap(AssistantControlClass.init)
    }

    /// The surfaces this row leaves blank, in the seed's order.
    package var missingSurfaces: [Surface] {
        Surface.allCases.filter { self[$0] == nil }
    }
}
