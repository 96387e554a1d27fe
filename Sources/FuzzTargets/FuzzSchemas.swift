import Foundation
import JSON
import JSONRPC

extension FuzzTarget {
    /// The target over the `inputSchema` of every file in `directory` (the repository's `tool-schemas/`).
    package static func loading(schemasFrom directory: String) throws -> FuzzTarget {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        let schemas = try names.compactMap { name -> JSONValue? in
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            return try JSONParser.parse(bytes)["inputSchema"]
        }
        return FuzzTarget(schemas: schemas)
    }
}
