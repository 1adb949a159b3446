import Release

/// The `app` a playbook names, for records of verbs that have no plan (rollback, promote, abort).
public enum PlaybookApp {
    /// Nil when the playbook does not load (the verb itself reports why).
    public static func name(_ playbook: String) -> String? {
        try? PlaybookLoader.load(playbook).app
    }
}
