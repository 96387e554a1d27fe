import ArgumentParser
import AssistantTools
import ControlEndpoints
import Foundation
import PulseClient

/// `--pulse-url URL` and how to reach it: what `sync` and `serve` read a running Pulse server with.
///
/// The token is never a flag: it comes from `$PULSE_API_TOKEN` or the config file's `pulseToken`
/// (`{"env": NAME}` or a `0600` `{"file": PATH}`); the CA file and organisation from the config file.
struct PulseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The Pulse server to read, e.g. https://pulse.lan:7655 (token from $PULSE_API_TOKEN or the config file's pulseToken).", valueName: "url"))
    var pulseURL: String?

    @Flag(name: .long, help: "Accept any TLS certificate from Pulse (logs a warning at every start; prefer the config file's pulseCAFile).")
    var pulseInsecureSkipVerify = false

    @Option(name: .long, help: ArgumentHelp("How long one request to Pulse may take (default 60).", valueName: "seconds"))
    var pulseTimeout: Int = 60

    /// The variable the token is read from when the config file names no `pulseToken`.
    static let tokenVariable = "PULSE_API_TOKEN"

    func validate() throws {
        guard pulseTimeout >= 1 else { throw ValidationError("--pulse-timeout must be at least 1 second") }
        if let pulseURL, !(pulseURL.hasPrefix("http://") || pulseURL.hasPrefix("https://")) {
            throw ValidationError("--pulse-url must start with http:// or https://, got \(pulseURL.prefix(100))")
        }
        if pulseInsecureSkipVerify, pulseURL == nil {
            throw ValidationError("--pulse-insecure-skip-verify needs --pulse-url")
        }
    }

    /// The client's configuration, nil without `--pulse-url`.
    /// - Throws: ``CommandFailure`` when the configured token cannot be read (never showing it).
    func configuration(file: ControlConfigFile?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PulseConfiguration? {
        guard let pulseURL else { return nil }
        return PulseConfiguration(
            baseURL: pulseURL, token: try token(file: file, environment: environment), orgID: file?.pulseOrgId,
            caFilePath: file?.pulseCAFile, insecureSkipVerify: pulseInsecureSkipVerify, requestTimeout: .seconds(pulseTimeout)
        )
    }

    /// The token: the config file's `pulseToken`, else `$PULSE_API_TOKEN`; nil when neither is set (a
    /// Pulse without authentication admits loopback requests).
    private func token(file: ControlConfigFile?, environment: [String: String]) throws -> PulseToken? {
        switch file?.pulseToken {
        case .environment(let name)?:
            guard let value = environment[name].flatMap(PulseToken.init) else {
                throw CommandFailure("the config file's pulseToken names the environment variable \(name), which is not set")
            }
            return value
        case .file(let path)?:
            do {
                guard let value = PulseToken(try TokenFile.read(path)) else { throw CommandFailure("the Pulse token file \(path) is empty") }
                return value
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                throw CommandFailure("cannot read the Pulse token: \(error)")
            }
        case nil:
            return environment[Self.tokenVariable].flatMap(PulseToken.init)
        }
    }
}
