/// The deadlines of the `pulse` route: the operator's, like the rest of ``ControlSettings``.
///
/// ```
/// execute ──────── blocks up to executeDeadline ─┬─ answer ────────────────→ completed | failed
///                                                └─ timeout or drop → poll GET /api/actions/{id}
///                                                   every pollInterval, until a final state or
///                                                   executeDeadline + pollGrace → unknown (Pulse cannot say yet)
/// ```
package struct PulseTiming: Sendable, Equatable {
    /// How long `POST /api/actions/{id}/execute` may block; long enough for a guest shutdown.
    package var executeDeadlineSeconds: Double
    /// The wait between two reads of the action after the execute call gave no answer.
    package var pollIntervalSeconds: Double
    /// How long past the execute deadline the action is still read before it is left `unknown`.
    package var pollGraceSeconds: Double
    /// What each of the other calls (resource, plan, decision, refresh) may take, retries included:
    /// part of how long a dispatched action may go without a word before another server settles it.
    package var requestAllowanceSeconds: Double

    package init(
        executeDeadlineSeconds: Double = 180, pollIntervalSeconds: Double = 2, pollGraceSeconds: Double = 10,
        requestAllowanceSeconds: Double = 120
    ) {
        self.executeDeadlineSeconds = executeDeadlineSeconds
        self.pollIntervalSeconds = pollIntervalSeconds
        self.pollGraceSeconds = pollGraceSeconds
        self.requestAllowanceSeconds = requestAllowanceSeconds
    }

    /// How long an action on the `pulse` route may stay `dispatched` without its row being touched
    /// before it counts as abandoned by a server that stopped: the longest single step (a human's
    /// approval, or execute and its polling) plus the other calls.
    func abandonedAfterMilliseconds(approvalTimeoutSeconds: Double) -> Int64 {
        let step = max(approvalTimeoutSeconds, executeDeadlineSeconds + pollGraceSeconds)
        return Int64((step + requestAllowanceSeconds) * 1000)
    }
}
