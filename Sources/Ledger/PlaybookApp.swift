public import Release

/// The `app` a playbook names, for records of verbs that have no plan (rollback, promote, abort).
public enum PlaybookApp {
    /// Nil when the playbook does not load (the verb itself reports why). `snapshot`: the
    /// run's (``PlaybookSnapshot``), so the app is read from the playbook the run deploys.
    public static func name(_ playbook: String, snapshot: PlaybookSnapshot? = nil) -> String? {
        try? PlaybookLoader.load(playbook, snapshot: snapshot).app
    }
}
