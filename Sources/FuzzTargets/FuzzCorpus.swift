import JSON
import JSONRPC

/// Seeds for the fuzzer and the mutation harness: lines a client sends, valid and nearly so.
package enum FuzzCorpus {
    package static let seeds: [[UInt8]] = [
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
        #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search_resources","arguments":{"query":"web","types":["vm","pod"],"limit":20}}}"#,
        #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_resource","arguments":{"id":"vm/pve-a/101"}}}"#,
        #"{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":"control_resource","arguments":{"resourceId":"vm/pve-a/101","action":"stop","reason":"maintenance","idempotencyKey":"k-1"}}}"#,
        #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get_metrics","arguments":{"resourceId":"vm/pve-a/101","metric":"cpu","since":"2026-11-28T09:00:00Z"}}}"#,
        "{\"a\":[1,-0.5e-3,true,false,null,\"\\u00e9\\ud83d\\ude00\\n\"],\"b\":{}}\r\n[]\n\n{\"c\":\"\u{1F600}\"}",
        #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}}"#,
    ].map { Array($0.utf8) }

    /// Bytes mutations insert: JSON's structure, escapes, numbers at the edges, line endings.
    package static let alphabet: [UInt8] = Array(#"{}[]":,\"0123456789-+.eEtrufalsn \u0000\uD800\n\r"#.utf8) + [0x00, 0x0A, 0x0D, 0x80, 0xC3, 0xFF]
}
