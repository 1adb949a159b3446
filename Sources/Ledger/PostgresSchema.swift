/// The PostgreSQL ledger's schema, versioned in `cutover_schema`: migration N takes a database at
/// version N-1 to N, under an advisory lock so runners starting together migrate once.
enum PostgresSchema {
    /// `pg_advisory_xact_lock` key: "cutover" in ASCII.
    static let lockKey = "27988094745748850"

    static let migrations: [String] = [
        // 1: records and their hosts.
        """
        CREATE TABLE records (
            id bigserial PRIMARY KEY,
            deploy_id text NOT NULL,
            kind text NOT NULL,
            app text NOT NULL,
            release_id text,
            version text,
            artifact_sha256 text,
            artifact_built_at timestamptz,
            artifact_build_time_source text,
            strategy text,
            outcome text NOT NULL,
            reason text,
            started_at timestamptz NOT NULL,
            finished_at timestamptz NOT NULL,
            gate_failed_at timestamptz,
            rollback_verified_at timestamptz,
            user_name text NOT NULL,
            machine text NOT NULL,
            ci_system text,
            ci_job text,
            ci_url text
        );
        CREATE INDEX records_app_finished ON records (app, finished_at);
        CREATE INDEX records_finished ON records (finished_at);
        CREATE TABLE record_hosts (
            record_id bigint NOT NULL REFERENCES records (id) ON DELETE CASCADE,
            position integer NOT NULL,
            host text NOT NULL,
            state text NOT NULL,
            release_id text,
            detail text,
            PRIMARY KEY (record_id, position)
        );
        """,
        // 2: the environment of every record (older records are `default`) and a promotion override's reason.
        """
        ALTER TABLE records ADD COLUMN environment text NOT NULL DEFAULT 'default';
        ALTER TABLE records ADD COLUMN promotion_override text;
        CREATE INDEX records_app_environment_finished ON records (app, environment, finished_at);
        """,
    ]

    static var version: Int { migrations.count }

    static func migrate(_ connection: PostgresConnection) throws(LedgerError) {
        try connection.transaction { () throws(LedgerError) in
            try connection.query("SELECT pg_advisory_xact_lock(\(lockKey))")
            try connection.query("CREATE TABLE IF NOT EXISTS cutover_schema (version integer NOT NULL)")
            let row = try connection.query("SELECT max(version) FROM cutover_schema").first
            let found = (row?.first ?? nil).flatMap { Int($0) } ?? 0
            guard found <= version else {
                throw LedgerError("the ledger has schema version \(found); this cutover knows up to \(version) (upgrade cutover)")
            }
            guard found < version else { return }
            for migration in migrations[found...] { try connection.execute(migration) }
            try connection.query("DELETE FROM cutover_schema")
            try connection.query("INSERT INTO cutover_schema (version) VALUES ($1)", [String(version)])
        }
    }
}
