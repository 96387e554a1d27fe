import GRDB

extension ResourceStore {
    /// One rule for actions left unfinished by a server that stopped: rows in `state` (with an approval
    /// in `approvals`, when given) whose `column` time is older than `before` move to `target`.
    package struct StaleActionRule: Sendable, Equatable {
        package enum Column: String, Sendable {
            case updatedAt, dispatchedAt
        }

        package var state: ActionRecord.State
        package var approvals: [String]?
        package var column: Column
        /// Milliseconds since 1970: rows whose `column` is earlier are stale.
        package var before: Int64
        package var target: ActionRecord.State
        package var code: String
        package var message: String
        package var approval: String?
        /// `true`: only actions on the `pulse` route (with a ``ActionRecord/pulse`` side); `false`: only
        /// the others; nil: both.
        package var pulseRoute: Bool?

        package init(
            state: ActionRecord.State, approvals: [String]? = nil, column: Column, before: Int64, target: ActionRecord.State,
            code: String, message: String, approval: String? = nil, pulseRoute: Bool? = nil
        ) {
            self.state = state
            self.approvals = approvals
            self.column = column
            self.before = before
            self.target = target
            self.code = code
            self.message = message
            self.approval = approval
            self.pulseRoute = pulseRoute
        }
    }

    /// Applies `rules` in one transaction, at `time`; how many actions each moved.
    ///
    /// Only rows still in the rule's state move (the same guarded `UPDATE` as ``advance(action:from:to:at:code:message:observed:approval:)``),
    /// so a server that is alive and finishes its action first keeps its own ending.
    @discardableResult
    package func settleStaleActions(_ rules: [StaleActionRule], at time: Int64) throws -> [Int] {
        // Nearly always nothing is stale: one read says so without taking the write lock.
        guard try hasStaleCandidates(rules) else { return rules.map { _ in 0 } }
        return try database.write { db in
            try rules.map { rule in
                let approvals = rule.approvals ?? []
                let approvalFilter = rule.approvals == nil ? "" : " AND approval IN (\(ResourceSQL.placeholders(approvals.count)))"
                let routeFilter = rule.pulseRoute.map { $0 ? " AND pulse IS NOT NULL" : " AND pulse IS NULL" } ?? ""
                try db.execute(sql: """
                    UPDATE action SET state = ?, updatedAt = ?, code = ?, message = ?, approval = coalesce(?, approval),
                        finishedAt = CASE WHEN ? THEN ? ELSE finishedAt END
                    WHERE state = ? AND \(rule.column.rawValue) < ?\(approvalFilter)\(routeFilter)
                    """, arguments: StatementArguments([
                        rule.target.rawValue, time, rule.code, rule.message, rule.approval, rule.target.isFinal, time,
                        rule.state.rawValue, rule.before,
                    ] as [(any DatabaseValueConvertible)?]) + StatementArguments(approvals))
                return db.changesCount
            }
        }
    }

    /// Whether any row is in a rule's state past its time (a superset of what the rules move).
    private func hasStaleCandidates(_ rules: [StaleActionRule]) throws -> Bool {
        guard !rules.isEmpty else { return false }
        let conditions = rules.map { "(state = ? AND \($0.column.rawValue) < ?)" }.joined(separator: " OR ")
        let arguments = rules.flatMap { [$0.state.rawValue, $0.before] as [any DatabaseValueConvertible] }
        return try database.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM action WHERE \(conditions))"),
                arguments: StatementArguments(arguments)
            ) ?? false
        }
    }
}
