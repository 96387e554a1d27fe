import Testing

@testable import Fleet

/// One vocabulary: the validator accepts exactly the typed words, in the order schemas list them.
@Suite struct VocabularyTests {
    @Test func theWordsAreTheTypedCasesInOrder() {
        #expect(ResourceStatus.words == ["online", "offline", "warning", "unknown"])
        #expect(PowerState.words == ["running", "stopped", "paused", "unknown"])
        #expect(AlertSeverity.words == ["critical", "warning", "info"])
        #expect(RecoveryKind.words == ["backup", "snapshot"])
    }

    @Test func theSnapshotValidatorReadsTheSameWords() {
        #expect(SnapshotVocabulary.statuses == ResourceStatus.words)
        #expect(SnapshotVocabulary.powerStates == PowerState.words)
        #expect(SnapshotVocabulary.severities == AlertSeverity.words)
        #expect(SnapshotVocabulary.recoveryKinds == RecoveryKind.words)
    }
}
