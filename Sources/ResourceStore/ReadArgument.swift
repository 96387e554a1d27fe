/// One value bound to a read statement's parameter, by position.
///
/// An enum rather than GRDB's `DatabaseValueConvertible` existentials: binding it costs a switch,
/// not a box per argument.
enum ReadArgument: Equatable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case null

    static func text(_ value: String?) -> Self { value.map(Self.text) ?? .null }
    static func integer(_ value: Int) -> Self { .integer(Int64(value)) }
}

extension [ReadArgument] {
    /// Each of `values` as text, in order.
    static func texts(_ values: [String]) -> Self { values.map(ReadArgument.text) }
}
