import JSON

/// One request to Pulse: a method, a path under the base URL, a query, and for a POST its JSON body.
package struct PulseRequest: Sendable, Hashable {
    package enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
    }

    package var method: Method
    /// `/api/resources`: always starting with `/`, relative to the configured base URL.
    package var path: String
    /// Name-value pairs in order; values are percent-encoded when the URL is built.
    package var query: [QueryItem]
    /// The JSON body of a POST.
    package var body: JSONValue?
    /// Whether sending it twice does no harm: a GET is, a POST is not unless its caller says so
    /// (Pulse's plan call is idempotent on its `requestId`). A request that is not idempotent is
    /// tried again only when the connection failed before it could have been sent.
    package var isIdempotent: Bool

    package struct QueryItem: Sendable, Hashable {
        package var name: String
        package var value: String

        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(method: Method, path: String, query: [QueryItem] = [], body: JSONValue? = nil, isIdempotent: Bool? = nil) {
        self.method = method
        self.path = path.hasPrefix("/") ? path : "/" + path
        self.query = query
        self.body = body
        self.isIdempotent = isIdempotent ?? (method == .get)
    }

    /// `GET path?query`.
    package static func get(_ path: String, _ query: [QueryItem] = []) -> PulseRequest {
        PulseRequest(method: .get, path: path, query: query)
    }

    /// The path and query as errors and logs show them: `/api/resources?limit=100&page=2&sort=name`.
    package var route: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so that an opaque id with
    /// `:`, `/` or `&` in it arrives as one value.
    static func encode(_ text: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                encoded.unicodeScalars.append("%")
                encoded.unicodeScalars.append(hex[Int(byte >> 4)])
                encoded.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return encoded
    }
}

/// What Pulse answered: the status and the whole body, already bounded in size.
package struct PulseResponse: Sendable {
    package var status: Int
    package var body: [UInt8]
    /// The request's route, for errors about the body.
    package var route: String

    package init(status: Int, body: [UInt8], route: String) {
        self.status = status
        self.body = body
        self.route = route
    }

    package var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as JSON.
    /// - Throws: ``PulseError/malformedEnvelope(route:reason:)`` when it is not JSON.
    package func json() throws(PulseError) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw .malformedEnvelope(route: route, reason: "not JSON (\(error.message) at byte \(error.offset))")
        }
    }
}
