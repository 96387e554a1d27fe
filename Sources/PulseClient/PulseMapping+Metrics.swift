import JSON

extension PulseMapping {
    /// `metrics`: CPU as a share (Pulse's percent ÷ 100, clamped to 0…1), memory and disk used and
    /// total in bytes, uptime in seconds. Nil when the row reports none of them.
    ///
    /// Go drops a zero `percent` (`omitempty`), so an idle CPU arrives as `{"value": 0}`: `value` is
    /// read when `percent` is absent. A used count above its total (seen while a disk grows) is
    /// stored as the total, with a note, since our format holds used ≤ total.
    static func metrics(_ row: JSONObject, notes: inout [String]) -> JSONObject? {
        var result = JSONObject()
        let metrics = row.object("metrics")
        if let cpu = metrics?.object("cpu"), let percent = cpu.number("percent") ?? cpu.number("value"), percent.isFinite {
            result["cpu"] = .double(min(max(percent / 100, 0), 1))
        }
        for (name, key) in [("memory", "memory"), ("disk", "disk")] {
            guard let metric = metrics?.object(key) else { continue }
            let total = metric.integer("total").flatMap { $0 >= 0 ? $0 : nil }
            var used = metric.integer("used").flatMap { $0 >= 0 ? $0 : nil }
            if let reported = used, let total, reported > total {
                notes.append("metrics.\(key).used \(reported) exceeds its total \(total); stored as the total")
                used = total
            }
            result.setIfPresent("\(name)Used", used.map(JSONValue.integer))
            result.setIfPresent("\(name)Total", total.map(JSONValue.integer))
        }
        if let uptime = row.integer("uptime"), uptime >= 0 {
            result["uptimeSeconds"] = .integer(uptime)
        }
        return result.isEmpty ? nil : result
    }
}
