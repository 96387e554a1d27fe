import GRDB

extension ResourceStore {
    /// Writes a new action, unless its idempotency key is already taken.
    ///
    /// The check and the insert are one `IMMEDIATE` transaction, and the key is `UNIQUE`, so two
    /// servers on one store racing with the same key write one row between them: the loser gets
    /// the winner's action back.
    package func record(_ action: ActionRecord) throws -> ActionRecording {
        try database.writeWithoutTransaction { db in
            var outcome: ActionRecording = .recorded(action)
            try db.inTransaction(.immediate) {
                if let key = action.idempotencyKey, let first = try Self.action(db, where: "idempotencyKey", is: key) {
                    outcome = .existing(first)
                    return .rollback
                }
                try db.cachedStatement(sql: "INSERT INTO action (\(ActionRecord.columns)) VALUES (\(ResourceSQL.placeholders(18)))")
                    .execute(arguments: action.arguments)
                return .commit
            }
            return outcome
        }
    }

    /// Moves an action on to `state`, only from one of the states in `from`; `code`, `message`,
    /// `observed`, `approval` and `pulse` replace what the row holds when given.
    ///
    /// - Returns: the action as it now is; `nil` when there is no such action or it was not in one of
    ///   the `from` states (someone else moved it), in which case nothing changed.
    @discardableResult
    package func advance(
        action id: String, from: Set<ActionRecord.State>, to state: ActionRecord.State, at time: Int64,
        code: String? = nil, message: String? = nil, observed: String? = nil, approval: String? = nil, pulse: String? = nil
    ) throws -> ActionRecord? {
        try database.write { db in
            let sources = from.map(\.rawValue).sorted()
            try db.cachedStatement(sql: """
                UPDATE action SET state = ?, updatedAt = ?, code = coalesce(?, code),
                    message = coalesce(?, message), observed = coalesce(?, observed), approval = coalesce(?, approval),
                    pulse = coalesce(?, pulse),
                    dispatchedAt = CASE WHEN ? = 'dispatched' THEN ? ELSE dispatchedAt END,
                    finishedAt = CASE WHEN ? THEN ? ELSE finishedAt END
                WHERE id = ? AND state IN (\(ResourceSQL.placeholders(sources.count)))
                """).execute(arguments: StatementArguments([
                    state.rawValue, time, code, message, observed, approval, pulse, state.rawValue, time, state.isFinal, time, id,
                ] as [(any DatabaseValueConvertible)?]) + StatementArguments(sources))
            guard db.changesCount == 1 else { return nil }
            return try Self.action(db, where: "id", is: id)
        }
    }

    /// Replaces the Pulse side of an action (``ActionRecord/pulse``) and its `approval` when given,
    /// without moving its state, only while it is in one of the states in `from`.
    ///
    /// - Returns: the action as it now is; `nil` when it is not in one of those states (another server
    ///   settled it), in which case nothing changed and the caller must not go on.
    @discardableResult
    package func notePulse(
        action id: String, in states: Set<ActionRecord.State>, pulse: String, approval: String? = nil, at time: Int64
    ) throws -> ActionRecord? {
        try database.write { db in
            let sources = states.map(\.rawValue).sorted()
            try db.cachedStatement(sql: """
                UPDATE action SET pulse = ?, approval = coalesce(?, approval), updatedAt = ?
                WHERE id = ? AND state IN (\(ResourceSQL.placeholders(sources.count)))
                """).execute(arguments: StatementArguments([pulse, approval, time, id] as [(any DatabaseValueConvertible)?])
                    + StatementArguments(sources))
            guard db.changesCount == 1 else { return nil }
            return try Self.action(db, where: "id", is: id)
        }
    }

    static func action(_ db: Database, where column: String, is value: String) throws -> ActionRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(ActionRecord.columns) FROM action WHERE \(column) = ?"),
            arguments: [value]
        ).map(ActionRecord.init)
    }
}

extension StoreReader {
    /// The action with `id`, or `nil`.
    package func action(id: String) throws -> ActionRecord? {
        try first(Self.actionById, [.text(id)], ActionRecord.init)
    }

    /// The action first recorded with idempotency key `key`, or `nil`.
    package func action(idempotencyKey key: String) throws -> ActionRecord? {
        try first(Self.actionByKey, [.text(key)], ActionRecord.init)
    }

    /// The latest actions on one resource, newest first.
    package func actions(on resourceId: String, limit: Int = 20) throws -> [ActionRecord] {
        try rows(Self.actionsOnResource, [.text(resourceId), .integer(limit)], ActionRecord.init)
    }

    private static let actionById = "SELECT \(ActionRecord.columns) FROM action WHERE id = ?"
    private static let actionByKey = "SELECT \(ActionRecord.columns) FROM action WHERE idempotencyKey = ?"
    private static let actionsOnResource = """
        SELECT \(ActionRecord.columns) FROM action WHERE resourceId = ? ORDER BY createdAt DESC, rowid DESC LIMIT ?
        """
}
