/// The words a canonical record's fields take, in one place: the snapshot validator accepts these,
/// the tools' schemas list them, in this order (`allCases`).

/// A resource's `status`.
package enum ResourceStatus: String, Sendable, CaseIterable {
    case online, offline, warning, unknown
}

/// A workload's `powerState`.
package enum PowerState: String, Sendable, CaseIterable {
    case running, stopped, paused, unknown
}

/// An alert's `severity`.
package enum AlertSeverity: String, Sendable, CaseIterable {
    case critical, warning, info
}

/// A recovery point's `kind`.
package enum RecoveryKind: String, Sendable, CaseIterable {
    case backup, snapshot
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// Every word, in declaration order: for a schema's `enum` or a validator's list.
    package static var words: [String] { allCases.map(\.rawValue) }
}
