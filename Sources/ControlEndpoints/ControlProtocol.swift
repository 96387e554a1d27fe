/// The control-endpoint wire protocol (DESIGN §6): names, codes and limits both sides share.
///
/// Line-delimited JSON-RPC 2.0 over one stream socket, one action per connection:
///
/// ```
/// client → {"jsonrpc":"2.0","id":1,"method":"hello","params":{"token":"…"}}
/// server ← {"jsonrpc":"2.0","id":1,"result":{}}                    (or an error, then close)
/// client → {"jsonrpc":"2.0","id":2,"method":"control.execute","params":{"actionId":"…",
///           "resourceId":"vm/pve-a/101","action":"stop","params":{},"idempotencyKey":"…","deadlineMs":5000}}
/// server ← {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":250,"message":"…"}}  (any number)
/// server ← {"jsonrpc":"2.0","id":2,"result":{"state":"completed","message":"…","observed":{…}}}
/// ```
package enum ControlProtocol {
    package static let helloMethod = "hello"
    package static let executeMethod = "control.execute"
    package static let progressMethod = "notifications/progress"

    /// The error an endpoint answers `hello` with when the token is wrong; it then closes the connection.
    package static let tokenRejectedCode = -32001
    /// The error for `control.execute` (or anything but `hello`) on a connection that has not said hello.
    package static let helloRequiredCode = -32000

    /// The longest line either side accepts, in bytes.
    package static let maximumLineLength = 1024 * 1024

    /// How long past a request's `deadlineMs` the client still waits for the answer.
    ///
    /// An endpoint that gives up exactly at the deadline needs a moment to say
    /// so; without the grace its "deadline passed" answer would race the
    /// client's own timeout and turn a clean `failed` into `unknown`.
    package static let answerGrace: Duration = .milliseconds(500)
}
