import JSON
import JSONRPC
import ResourceStore

extension ToolRegistry {
    /// Runs `tools/call` of `name` on the store's threads (SQLite and the audit append block there,
    /// not on the cooperative pool) and hands its answer to `finish`, still on those threads: the
    /// caller's audit record is appended in `finish`.
    func callOnStoreThreads<T>(
        _ name: String, arguments: JSONValue?, context: ToolContext, on storeThreads: StoreExecutor,
        then finish: (Result<JSONValue, JSONRPCError>) -> T
    ) async -> T {
        await withTaskExecutorPreference(storeThreads) {
            let answer: Result<JSONValue, JSONRPCError>
            do throws(JSONRPCError) {
                answer = .success(try await call(name, arguments: arguments, context: context))
            } catch {
                answer = .failure(error)
            }
            return finish(answer)
        }
    }
}
