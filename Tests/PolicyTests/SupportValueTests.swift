import Foundation
import Testing

@testable import Policy

@Suite struct SupportValueTests {
    static let words: [(String, SupportValue, AssistantControlClass?)] = [
        ("supported", .supported, .supported),
        ("augmentation-only", .augmentationOnly, .augmentationOnly),
        ("read-only", .readOnly, .readOnly),
        ("n/a", .notApplicable, .notApplicable),
        ("partial", .unknown("partial"), nil),
        ("Supported", .unknown("Supported"), nil),
        ("", .unknown(""), nil),
    ]

    @Test(arguments: words)
    func readsEveryWordAndClassifiesControl(_ word: String, _ value: SupportValue, _ control: AssistantControlClass?) throws {
        #expect(SupportValue(rawValue: word) == value)
        #expect(value.rawValue == word)
        #expect(value.isKnown == (control != nil))
        #expect(AssistantControlClass(value) == control)
        let json = Data("\"\(word)\"".utf8)
        #expect(try JSONDecoder().decode(SupportValue.self, from: json) == value)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        #expect(try encoder.encode(value) == json)
    }

    @Test func knownValuesAreTheSeedsFourInOrder() {
        #expect(SupportValue.knownValues.map(\.rawValue) == ["supported", "augmentation-only", "read-only", "n/a"])
        #expect(AssistantControlClass.allCases.map(\.rawValue) == SupportValue.knownValues.map(\.rawValue))
    }

    @Test func floorReadsAndWritesBySurface() {
        var floor = SupportFloor()
        #expect(floor.missingSurfaces == Surface.allCases)
        for surface in Surface.allCases { floor[surface] = .supported }
        floor[.assistantControl] = .readOnly
        #expect(floor.missingSurfaces.isEmpty)
        #expect(floor.assistantControl == .readOnly && floor.assistantControlClass == .readOnly)
        #expect(Surface.allCases.map(\.title) == [
            "Setup", "Visibility", "Workloads", "Storage", "Recovery", "Alerts", "Assistant read", "Assistant control",
        ])
    }
}
