/// The value of one support-floor cell: `supported`, `augmentation-only`, `read-only` or `n/a`.
///
/// Any other word is kept as ``unknown(_:)`` rather than failing the decode, because a draft manifest
/// saying `"partial"` must still load so that the governance lint can point at the cell and cite the rule.
package enum SupportValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case supported
    case augmentationOnly
    case readOnly
    case notApplicable
    /// A word that is not one of the four values; always a governance violation.
    case unknown(String)

    /// The four values the seed admits, in the seed's order.
    package static let knownValues: [SupportValue] = [.supported, .augmentationOnly, .readOnly, .notApplicable]

    /// Reads a manifest word; never fails, so the lint can report bad words.
    package init(rawValue: String) {
        switch rawValue {
        case "supported": self = .supported
        case "augmentation-only": self = .augmentationOnly
        case "read-only": self = .readOnly
        case "n/a": self = .notApplicable
        default: self = .unknown(rawValue)
        }
    }

    /// The manifest word for this value.
    package var rawValue: String {
        switch self {
        case .supported: "supported"
        case .augmentationOnly: "augmentation-only"
        case .readOnly: "read-only"
        case .notApplicable: "n/a"
        case .unknown(let word): word
        }
    }

    /// Whether this is one of the four values the seed admits.
    package var isKnown: Bool {
        if case .unknown = self { false } else { true }
    }

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
