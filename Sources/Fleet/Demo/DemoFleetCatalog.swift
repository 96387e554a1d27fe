/// The names the demo fleet draws from: what a home lab or a small company's estate is called.
///
/// Lists are disjoint, so that a workload's name says which kind of thing it is and no two
/// workloads of one site share a name; ``name(_:at:)`` wraps a list with a numeric suffix
/// (`web-01`, then `web-01-2`) when a site has more guests than names.
enum DemoFleetCatalog {
    static let pveVMs = [
        "web-01", "web-02", "web-03", "db-primary", "db-replica", "api-01", "api-02", "cache-01", "mail-relay",
        "ldap-01", "vpn-gw", "ci-runner-01", "ci-runner-02", "win-dc-01", "win-rdp-01", "grafana", "prometheus",
        "elk-01", "gitlab", "jenkins", "sonarqube", "minio-01", "ansible", "bastion", "haproxy-01", "keycloak",
        "vault-01", "matrix-synapse", "jitsi", "erp-app", "erp-db", "crm-01", "wiki", "nexus", "harbor", "sentry",
        "opnsense", "backup-proxy", "dev-box-01", "dev-box-02", "staging-web", "staging-db", "rabbitmq",
        "kafka-01", "kafka-02", "zookeeper", "redis-01", "postgres-analytics", "clickhouse", "airflow", "jupyter",
        "gpu-train-01", "gpu-infer-01", "home-assistant-vm", "win11-test", "db-archive",
    ]

    static let pveContainers = [
        "pihole", "unbound", "nginx-proxy", "uptime-kuma", "mosquitto", "zigbee2mqtt", "paperless", "vaultwarden",
        "syncthing", "tailscale", "adguard", "wireguard", "influxdb", "node-red", "gitea", "plex", "sonarr",
        "radarr", "prowlarr", "jellyseerr", "homer", "dashy", "heimdall", "traefik", "caddy", "bind9", "chrony",
        "netbox", "librenms", "zabbix", "snipe-it", "bookstack", "freshrss", "miniflux", "calibre-web",
        "navidrome", "audiobookshelf", "mealie", "linkding", "ntfy", "gotify", "step-ca", "rsyslog", "loki",
        "tempo", "mariadb", "memcached", "squid",
    ]

    static let dockerContainers = [
        "nginx", "postgres", "redis", "portainer", "watchtower", "homepage", "immich-server", "immich-ml",
        "frigate", "mqtt-broker", "code-server", "drone", "drone-runner", "registry", "minio", "outline", "umami",
        "plausible", "n8n", "changedetection", "searxng", "whoami", "cadvisor", "node-exporter", "alertmanager",
        "blackbox-exporter", "promtail", "authelia", "lldap", "nextcloud-aio", "onlyoffice", "collabora",
        "stirling-pdf", "it-tools", "excalidraw", "dozzle", "duplicati", "restic-rest", "speedtest-tracker",
        "glances",
    ]

    static let swarmServices = [
        "web-frontend", "api-gateway", "worker-queue", "scheduler", "metrics-collector", "log-shipper",
        "auth-service", "notifier",
    ]

    /// Kubernetes deployments and their namespaces.
    static let deployments: [(name: String, namespace: String)] = [
        ("web", "shop"), ("api", "shop"), ("worker", "shop"), ("checkout", "shop"), ("cart", "shop"),
        ("catalog", "shop"), ("search", "shop"), ("payments", "shop"), ("notifications", "default"),
        ("ingress-nginx-controller", "ingress-nginx"), ("cert-manager", "cert-manager"), ("coredns", "kube-system"),
        ("metrics-server", "kube-system"), ("dashboards", "monitoring"), ("kube-state-metrics", "monitoring"),
        ("loki-gateway", "monitoring"),
    ]

    static let trueNASApps = [
        "nextcloud", "jellyfin", "immich", "photoprism", "transmission", "qbittorrent", "minio-nas",
    ]

    static let agentHosts = ["gateway-01", "monitor-01", "build-01", "gpu-01", "edge-01", "nvr-01"]

    static let vSphereVMs = [
        "legacy-erp", "sql-2019", "exchange-01", "sharepoint", "citrix-ddc", "citrix-vda-01", "file-server",
        "print-server", "horizon-cs", "veeam-proxy", "sccm", "wsus", "rds-gw", "adfs-01", "oracle-db", "sap-app",
        "sap-hana", "jump-win", "av-server", "hr-portal", "intranet", "test-w2022", "test-rhel9", "vdi-pool-01",
    ]

    static let vSphereDatastores = ["datastore1", "vsanDatastore", "nfs-iso"]

    /// A disk model, its interface (the disk's `technology`) and its capacity in bytes.
    typealias DiskModel = (model: String, technology: String, bytes: Int64)

    /// Server flash, for hypervisors and hosts.
    static let flashDisks: [DiskModel] = [
        ("Samsung PM9A3 1.92TB", "nvme", 1_920_383_410_176),
        ("Micron 7450 PRO 960GB", "nvme", 960_197_124_096),
        ("Intel D3-S4510 480GB", "sata-ssd", 480_103_981_056),
    ]

    /// SATA SSDs, for a NAS's fast pool.
    static let sataFlashDisks: [DiskModel] = [
        ("Intel D3-S4510 480GB", "sata-ssd", 480_103_981_056),
        ("Samsung 870 EVO 2TB", "sata-ssd", 2_000_398_934_016),
    ]

    /// Spinning disks, for a NAS's capacity pool.
    static let hardDisks: [DiskModel] = [
        ("Seagate Exos X18 18TB", "hdd", 18_000_207_937_536),
        ("WD Red Plus 8TB", "hdd", 8_001_563_222_016),
    ]

    // MARK: - Sizes and choices
    // Shared constants rather than literals at the call: a literal array is allocated on every call,
    // and these are drawn from for every guest, container and pod of a million-resource fleet.

    static let vmMemory: [Int64] = [.gib(2), .gib(4), .gib(8), .gib(16), .gib(32)]
    static let vmDisk: [Int64] = [.gib(32), .gib(64), .gib(128), .gib(256)]
    static let containerMemory: [Int64] = [.gib(1) / 2, .gib(1), .gib(2)]
    static let containerDisk: [Int64] = [.gib(8), .gib(16), .gib(32)]
    static let appMemory: [Int64] = [.gib(1) / 4, .gib(1) / 2, .gib(1), .gib(2)]
    static let podMemory: [Int64] = [.gib(1) / 4, .gib(1) / 2, .gib(1)]
    static let legacyVMMemory: [Int64] = [.gib(8), .gib(16), .gib(32)]
    static let legacyVMDisk: [Int64] = [.gib(100), .gib(500)]
    static let guestEnvironments = ["prod", "prod", "prod", "staging", "dev"]
    static let containerEnvironments = ["prod", "prod", "staging"]
    static let guestCores: [Int64] = [1, 2, 4, 8]
    static let vmOSTypes = ["l26", "l26", "win11"]
    static let containerOSTypes = ["debian", "ubuntu", "alpine"]
    static let deploymentNames = deployments.map(\.name)

    /// `list[index]`, with `-2`, `-3`… once the list wraps: unique for every index.
    static func name(_ list: [String], at index: Int) -> String {
        let round = index / list.count
        return round == 0 ? list[index % list.count] : "\(list[index % list.count])-\(round + 1)"
    }

    /// `a`, `b`, … `z`, `aa`, `ab`…: PVE node and disk letters.
    static func letters(_ index: Int) -> String {
        index < letterTable.count ? letterTable[index] : spelled(index)
    }

    /// The first 64 of ``letters(_:)``, computed once: they are asked for with every disk and guest.
    private static let letterTable = (0..<64).map(spelled)

    private static func spelled(_ index: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        return index < 26 ? String(alphabet[index]) : spelled(index / 26 - 1) + String(alphabet[index % 26])
    }

    /// The tags a guest's name implies besides its environment (`db`, `gpu`), by catalog position;
    /// worked out once rather than with a substring search per guest.
    static let vmNameTags = pveVMs.map(nameTags)
    static let containerNameTags = pveContainers.map(nameTags)

    private static func nameTags(_ name: String) -> [String] {
        var tags: [String] = []
        if name.hasPrefix("db") || name.contains("postgres") || name.contains("mariadb") || name.hasSuffix("-db") {
            tags.append("db")
        }
        if name.hasPrefix("gpu") { tags.append("gpu") }
        return tags
    }

    /// `01`, `02`, … `10`: two-digit ordinals for host names.
    static func ordinal(_ number: Int) -> String {
        number < 10 ? "0\(number)" : String(number)
    }
}
