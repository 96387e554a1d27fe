extension ControlPolicy {
    /// The wording shared by every message, so each names the resource, the platform and its class the same way.
    enum Phrase {
        /// `vm 'web-1' (pve1/qemu/100)`.
        static func resource(_ target: ControlTarget) -> String {
            "\(target.type.rawValue) '\(target.name)' (\(target.id))"
        }

        /// `'pve1' (node/pve1)`.
        static func node(_ node: ControlTarget.Ancestor) -> String {
            "'\(node.name)' (\(node.id))"
        }

        /// `Proxmox VE (proxmox-pve, assistant control: augmentation-only)`.
        static func platform(_ platform: Platform, _ controlClass: AssistantControlClass) -> String {
            "\(platform.displayName) (\(platform.id), assistant control: \(controlClass.rawValue))"
        }

        /// The platform phrase and its standing when it has no control class.
        static func unsupported(_ name: String, in manifest: PlatformSupportManifest) -> (String, String) {
            guard let platform = manifest.platform(named: name) else {
                return ("platform '\(name)'", "not in the platform-support manifest")
            }
            let standing: String
            switch platform.governance {
            case .supported: standing = "supported but declares no assistant-control class"
            case .admitted: standing = "admitted, not supported"
            case .presentationOnly: standing = "presentation-only vocabulary, not supported"
            }
            return ("\(platform.displayName) (\(platform.id))", standing)
        }

        static func route(_ agent: ControlEndpoint.Agent) -> ControlDecision.Route {
            .init(kind: .agent, id: agent.id, endpoint: agent.endpoint)
        }

        /// Seconds without a trailing `.0` for whole numbers.
        static func seconds(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
    }
}
