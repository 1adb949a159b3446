import Foundation
@testable import Ledger
import Testing

@Suite("Ledger location and invoker") struct LocationAndInvokerTests {
    @Test func defaultsFollowXDG() throws {
        #expect(try LedgerLocation.resolve(nil, environment: ["HOME": "/home/ops"]) == .sqlite(path: "/home/ops/.local/state/cutover/ledger.sqlite"))
        #expect(try LedgerLocation.resolve(nil, environment: ["HOME": "/home/ops", "XDG_STATE_HOME": "/var/state"]) == .sqlite(path: "/var/state/cutover/ledger.sqlite"))
        // A relative XDG_STATE_HOME is invalid per the spec and ignored.
        #expect(try LedgerLocation.resolve(nil, environment: ["HOME": "/h", "XDG_STATE_HOME": "state"]) == .sqlite(path: "/h/.local/state/cutover/ledger.sqlite"))
    }

    @Test func optionThenEnvironment() throws {
        let env = ["HOME": "/h", "CUTOVER_LEDGER": "postgres://ci:s3cret@db.internal:5432/cutover?sslmode=require"]
        #expect(try LedgerLocation.resolve(nil, environment: env) == .postgres(url: env["CUTOVER_LEDGER"]!))
        #expect(try LedgerLocation.resolve("none", environment: env) == .disabled)
        #expect(try LedgerLocation.resolve("sqlite:/tmp/l.db", environment: env) == .sqlite(path: "/tmp/l.db"))
        #expect(try LedgerLocation.resolve("sqlite:///tmp/l.db", environment: env) == .sqlite(path: "/tmp/l.db"))
        #expect(try LedgerLocation.resolve("ledger.sqlite", environment: env) == .sqlite(path: "ledger.sqlite"))
        #expect(try LedgerLocation.resolve("~/l.db", environment: env) == .sqlite(path: "/h/l.db"))
        #expect(try LedgerLocation.resolve("postgresql:///cutover?host=/run/pg", environment: env) == .postgres(url: "postgresql:///cutover?host=/run/pg"))
        #expect(throws: LedgerError.self) { try LedgerLocation.resolve("mysql://db/x", environment: env) }
        #expect(throws: LedgerError.self) { try LedgerLocation.resolve(" ", environment: env) }
    }

    @Test func passwordsNeverPrinted() throws {
        let location = try LedgerLocation.resolve("postgres://ci:s3cret@db.internal:5432/cutover?sslmode=require", environment: [:])
        #expect(location.description == "postgres://ci:***@db.internal:5432/cutover?sslmode=require")
        #expect(PostgresStore.redacted("postgresql://db/cutover?user=ci&password=s3cret&sslmode=require")
            == "postgresql://db/cutover?user=ci&password=***&sslmode=require")
        #expect(PostgresStore.redacted("postgres://ci@db/cutover") == "postgres://ci@db/cutover")
        #expect(PostgresStore.redacted("postgres://ci:s3cret@db/cutover?password=x") == "postgres://ci:***@db/cutover?password=***")
    }

    /// A libpq keyword/value string is not a file name: refused, without repeating it.
    @Test func aConnectionStringIsRefusedWithoutEchoingIt() throws {
        for text in ["host=db password=hunter2 dbname=cutover", "password=hunter2", " user=ci  password=hunter2",
                     "dbname = cutover password=hunter2", "postgres password=hunter2"] {
            let error = #expect(throws: LedgerError.self, "\(text)") { try LedgerLocation.resolve(text, environment: [:]) }
            #expect(error?.message.contains("hunter2") == false, "\(error?.message ?? "")")
            #expect(error?.message.contains("postgres://") == true, "\(error?.message ?? "")")
            // The same from the environment.
            #expect(throws: LedgerError.self) { try LedgerLocation.resolve(nil, environment: ["CUTOVER_LEDGER": text]) }
        }
        // Paths that merely contain `=` or a space are still paths.
        #expect(try LedgerLocation.resolve("/var/lib/a=b/ledger.sqlite", environment: [:]) == .sqlite(path: "/var/lib/a=b/ledger.sqlite"))
        #expect(try LedgerLocation.resolve("/var/lib/my ledger.sqlite", environment: [:]) == .sqlite(path: "/var/lib/my ledger.sqlite"))
    }

    /// What a suggested command may repeat: the location with no password at all.
    @Test func aLocationWithoutItsPassword() {
        #expect(PostgresStore.withoutPassword("postgres://ops:s3cret@db:5432/cutover") == "postgres://ops@db:5432/cutover")
        #expect(PostgresStore.withoutPassword("postgres://ops@db/cutover") == "postgres://ops@db/cutover")
        #expect(PostgresStore.withoutPassword("/var/lib/ledger.sqlite") == "/var/lib/ledger.sqlite")
        #expect(PostgresStore.withoutPassword("sqlite:/x@y:z") == "sqlite:/x@y:z")
        // An @ in the query is not userinfo; a password in the query goes too.
        #expect(PostgresStore.withoutPassword("postgres://db:5432/ledger?user=me@corp") == "postgres://db:5432/ledger?user=me@corp")
        #expect(PostgresStore.withoutPassword("postgres://db/ledger?user=me&password=s3cret&sslmode=require")
                == "postgres://db/ledger?user=me&sslmode=require")
        #expect(PostgresStore.withoutPassword("postgres://db/ledger?password=s3cret") == "postgres://db/ledger")
        #expect(PostgresStore.withoutPassword("postgres://db/ledger?user=me&password=s3cret") == "postgres://db/ledger?user=me")
    }

    @Test func ciJobsFromTheirVariablesOnly() throws {
        let github = CIJob.detect(["GITHUB_RUN_ID": "9001", "GITHUB_RUN_NUMBER": "42", "GITHUB_REPOSITORY": "acme/web",
                                   "GITHUB_SERVER_URL": "https://github.com", "GITHUB_TOKEN": "ghs_secret"])
        #expect(github == CIJob(system: "github", id: "42 (run 9001)", url: "https://github.com/acme/web/actions/runs/9001"))
        #expect(CIJob.detect(["CI_JOB_ID": "77", "CI_JOB_URL": "https://gitlab.example/acme/web/-/jobs/77"])
            == CIJob(system: "gitlab", id: "77", url: "https://gitlab.example/acme/web/-/jobs/77"))
        // Credentials in a URL and its query are dropped.
        #expect(CIJob.detect(["BUILD_NUMBER": "15", "JOB_NAME": "deploy-web", "BUILD_URL": "https://bot:t0ken@jenkins.example/job/deploy-web/15/?token=abc"])
            == CIJob(system: "jenkins", id: "deploy-web 15", url: "https://jenkins.example/job/deploy-web/15/"))
        #expect(CIJob.detect(["CIRCLE_BUILD_NUM": "8", "CIRCLE_BUILD_URL": "https://circleci.com/gh/acme/web/8"])?.system == "circleci")
        #expect(CIJob.detect(["BUILDKITE_BUILD_NUMBER": "3"]) == CIJob(system: "buildkite", id: "3", url: nil))
        #expect(CIJob.detect(["HOME": "/root", "AWS_SECRET_ACCESS_KEY": "x"]) == nil)

        let invoker = Invoker.current(environment: ["GITHUB_RUN_ID": "9001", "GITHUB_TOKEN": "ghs_secret", "AWS_SECRET_ACCESS_KEY": "wJalr"])
        let encoded = String(decoding: try JSONEncoder().encode(invoker), as: UTF8.self)
        #expect(!encoded.contains("ghs_secret") && !encoded.contains("wJalr"))
        #expect(invoker.ciJob == "9001")
        #expect(!invoker.user.isEmpty && !invoker.machine.isEmpty)
    }

    @Test func sinceArgument() throws {
        let now = Fixtures.at(10 * 86_400)
        #expect(try SinceArgument.parse("7d", now: now) == Fixtures.at(3 * 86_400))
        #expect(try SinceArgument.parse("2w", now: now) == Fixtures.at(-4 * 86_400))
        #expect(try SinceArgument.parse("90m", now: now) == Fixtures.at(10 * 86_400 - 5400))
        #expect(try SinceArgument.parse("2026-11-01", now: now) == Fixtures.base)
        #expect(try SinceArgument.parse("2026-11-01T06:00:00Z", now: now) == Fixtures.at(6 * 3600))
        #expect(throws: LedgerError.self) { try SinceArgument.parse("last week", now: now) }
    }
}
