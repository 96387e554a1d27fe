import Fleet

/// The last sync attempt and the last good one, as a store keeps them (`syncStatus`): what a server
/// answering from a synced store says about how fresh its data is.
package struct SyncStatus: Sendable, Hashable {
    /// Where the data comes from (a Pulse URL; never a credential).
    package var source: String
    /// When the last sync that committed finished: the data's age.
    package var lastGoodSync: Timestamp?
    /// When the last attempt, good or not, finished.
    package var lastAttempt: Timestamp?
    /// Why the last attempt failed; nil when it succeeded.
    package var lastError: String?

    package init(source: String, lastGoodSync: Timestamp?, lastAttempt: Timestamp?, lastError: String?) {
        self.source = source
        self.lastGoodSync = lastGoodSync
        self.lastAttempt = lastAttempt
        self.lastError = lastError
    }

    init?(facts: [String: String]) {
        guard let source = facts["source"] else { return nil }
        self.init(
            source: source, lastGoodSync: facts["lastGoodSync"].flatMap(Timestamp.init),
            lastAttempt: facts["lastAttempt"].flatMap(Timestamp.init), lastError: facts["lastError"]
        )
    }

    var facts: [(key: String, value: String)] {
        var facts: [(key: String, value: String)] = [("source", source)]
        if let lastGoodSync { facts.append(("lastGoodSync", lastGoodSync.description)) }
        if let lastAttempt { facts.append(("lastAttempt", lastAttempt.description)) }
        if let lastError { facts.append(("lastError", lastError)) }
        return facts
    }
}
