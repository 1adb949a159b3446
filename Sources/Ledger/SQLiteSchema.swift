/// The SQLite ledger's schema, versioned by `PRAGMA user_version`: migration N takes a database
/// at version N-1 to N. A database newer than this build is refused, never altered.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: records and their hosts.
        """
        CREATE TABLE records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            deploy_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            app TEXT NOT NULL,
            release_id TEXT,
            version TEXT,
            artifact_sha256 TEXT,
            artifact_built_at REAL,
            artifact_build_time_source TEXT,
            strategy TEXT,
            outcome TEXT NOT NULL,
            reason TEXT,
            started_at REAL NOT NULL,
            finished_at REAL NOT NULL,
            gate_failed_at REAL,
            rollback_verified_at REAL,
            user_name TEXT NOT NULL,
            machine TEXT NOT NULL,
            ci_system TEXT,
            ci_job TEXT,
            ci_url TEXT
        );
        CREATE INDEX records_app_finished ON records (app, finished_at);
        CREATE INDEX records_finished ON records (finished_at);
        CREATE TABLE record_hosts (
            record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            host TEXT NOT NULL,
            state TEXT NOT NULL,
            release_id TEXT,
            detail TEXT,
            PRIMARY KEY (record_id, position)
        );
        """,
        // 2: the environment of every record (older records are `default`) and a promotion override's reason.
        """
        ALTER TABLE records ADD COLUMN environment TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE records ADD COLUMN promotion_override TEXT;
        CREATE INDEX records_app_environment_finished ON records (app, environment, finished_at);
        """,
    ]

    static var version: Int { migrations.count }

    /// Sets WAL and foreign keys, then brings the schema to `version` in one write transaction.
    static func migrate(_ connection: SQLiteConnection) throws(LedgerError) {
        // WAL persists in the file; setting it again is a no-op. It needs a write lock the first time.
        try connection.query("PRAGMA journal_mode = WAL")
        try connection.execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL")
        if try current(connection) == version { return }
        try connection.transaction { () throws(LedgerError) in
            let found = try current(connection)
            guard found <= version else {
                throw LedgerError("the ledger \(connection.path) has schema version \(found); this cutover knows up to \(version) (upgrade cutover)")
            }
            for migration in migrations[found...] { try connection.execute(migration) }
            try connection.execute("PRAGMA user_version = \(version)")
        }
    }

    private static func current(_ connection: SQLiteConnection) throws(LedgerError) -> Int {
        Int(try connection.query("PRAGMA user_version").first?.first?.integer ?? 0)
    }
}
