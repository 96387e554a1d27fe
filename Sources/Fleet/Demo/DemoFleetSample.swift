import JSON

/// One metric sample of the demo fleet's history (DESIGN §3): `cpu` as a fraction, bytes as integers.
struct DemoFleetSample {
    enum Value {
        case fraction(Double)
        case bytes(Int64)
    }

    var resourceID: String
    /// `cpu`, `memoryUsed` or `diskUsed`.
    var metric: String
    /// Seconds since 1970.
    var at: Int64
    var value: Value

    var object: JSONObject {
        let number: JSONValue = switch value {
        case .fraction(let fraction): .double(fraction)
        case .bytes(let bytes): .integer(bytes)
        }
        return [
            "resourceId": .string(resourceID), "metric": .string(metric),
            "at": .string(Timestamp(secondsSince1970: at).description), "value": number,
        ]
    }

    /// The same JSON as ``object``, written directly.
    func appendJSON(to output: inout [UInt8], time: DemoFleetTimeFormatter) {
        output.append(UInt8(ascii: "{"))
        DemoFleetJSON.appendKey("resourceId", first: true, to: &output)
        JSONSerializer.appendString(resourceID, to: &output)
        DemoFleetJSON.appendKey("metric", to: &output)
        JSONSerializer.appendString(metric, to: &output)
        DemoFleetJSON.appendKey("at", to: &output)
        output.append(UInt8(ascii: "\""))
        time.append(at, to: &output)
        output.append(UInt8(ascii: "\""))
        DemoFleetJSON.appendKey("value", to: &output)
        switch value {
        case .fraction(let fraction): DemoFleetJSON.appendDouble(fraction, to: &output)
        case .bytes(let bytes): JSONSerializer.appendInteger(bytes, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
