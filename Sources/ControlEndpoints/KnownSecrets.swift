import Synchronization

/// Every secret value this process has known: the configured ones read at start, and each token read
/// since (a rotated token file adds the new value; the old one stays masked, for an endpoint that
/// echoes it). Shared by the dispatcher, the audit and the transcript recorder.
package final class KnownSecrets: Sendable {
    private let values: Mutex<SecretMasker>

    package init(_ secrets: some Sequence<String> = []) {
        values = Mutex(SecretMasker(secrets))
    }

    /// The masker over every secret known now.
    package var masker: SecretMasker { values.withLock { $0 } }

    /// Adds `secret` (nothing when already known or empty).
    package func remember(_ secret: String) {
        values.withLock { masker in
            guard !secret.isEmpty, !masker.secrets.contains(secret) else { return }
            masker = SecretMasker(masker.secrets + [secret])
        }
    }
}
