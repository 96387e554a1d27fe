import JSON

/// One `notifications/progress` an endpoint sent while working on an action.
///
/// ```
/// {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":250,"total":1000,"message":"…"}}
/// ```
package struct EndpointProgress: Sendable, Equatable {
    /// Increases with each notification; its unit is the endpoint's.
    package var progress: Double
    package var total: Double?
    package var message: String?

    package init(progress: Double, total: Double? = nil, message: String? = nil) {
        self.progress = progress
        self.total = total
        self.message = message
    }

    /// Reads the notification's params; nil when `progress` is not a number.
    init?(wireParams value: JSONValue?) {
        guard let progress = value?["progress"]?.doubleValue else { return nil }
        self.init(progress: progress, total: value?["total"]?.doubleValue, message: value?["message"]?.stringValue)
    }

    /// The notification's params.
    var wireParams: JSONValue {
        var object: JSONObject = ["progress": progress.wireNumber]
        object.setIfPresent("total", total?.wireNumber)
        object.setIfPresent("message", message.map(JSONValue.string))
        return .object(object)
    }
}

extension Double {
    /// Whole numbers go on the wire as integers (`250`, not `250.0`).
    fileprivate var wireNumber: JSONValue {
        if rounded() == self, abs(self) < 9.0e15 { .integer(Int64(self)) } else { .double(self) }
    }
}
