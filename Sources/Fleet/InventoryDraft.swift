import Diagnostics

/// What a format parser (native YAML, Ansible INI/YAML) extracts, before cross-checks and merging.
struct InventoryDraft: Sendable {
    /// One host entry as written.
    struct HostEntry: Sendable {
        var name: String
        var point: SourcePoint?
        var settings = ConnectionSettings()
        var labels: [String: String] = [:]
        var vars: [String: InventoryValue] = [:]
    }

    /// A reference to a host or group name inside a group, with where it was written.
    struct NameReference: Sendable {
        var name: String
        var point: SourcePoint?
    }

    /// One group entry as written.
    struct GroupEntry: Sendable {
        var name: String
        var point: SourcePoint?
        var hosts: [NameReference] = []
        var children: [NameReference] = []
        var vars: [String: InventoryValue] = [:]
        /// Connection settings for members (Ansible group vars such as `ansible_user`); native groups set none.
        var settings = ConnectionSettings()
        /// Labels for members (Ansible `zone`/`rack`/`region` group vars).
        var labels: [String: String] = [:]
    }

    /// The inventory file path.
    var path: String
    /// The environment a native inventory names at its top level.
    var environment: String?
    var environmentPoint: SourcePoint?
    /// Settings every host inherits (lowest inventory precedence).
    var defaults = ConnectionSettings()
    /// Hosts in file order.
    var hosts: [HostEntry] = []
    /// Groups in file order.
    var groups: [GroupEntry] = []
    /// Variables every host gets before any group's (Ansible `all` vars).
    var commonVars: [String: InventoryValue] = [:]
    /// Labels every host gets before any group's (Ansible `all` vars named zone/rack/region).
    var commonLabels: [String: String] = [:]
    /// For an Ansible inventory, what `ansible-inventory --list` would print.
    var listing: AnsibleListing?
}
