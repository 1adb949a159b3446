import Diagnostics
import Fleet
import Foundation
import Testing

/// `vars: { name: { secret: true, value: … | env: NAME } }` in native inventories.
@Suite("secret inventory vars")
struct SecretVarTests {
    @Test func aSecretFromTheFileOrTheEnvironmentIsKeptAndRedacted() throws {
        setenv("CUTOVER_TEST_SECRET_VAR", "from-the-environment-31337", 1)
        defer { unsetenv("CUTOVER_TEST_SECRET_VAR") }
        let inventory = try loadInventory("""
        hosts:
          web-1: { address: 10.0.0.1, vars: { api_token: { secret: true, value: "inline-s3cret-77" } } }
        groups:
          web: { hosts: [web-1], vars: { db_password: { secret: true, env: CUTOVER_TEST_SECRET_VAR }, port: 8080 } }
        """)
        let host = try #require(inventory.hosts.first)
        #expect(host.secrets == [SecretVariable(hostName: "API_TOKEN", value: "inline-s3cret-77"),
                                 SecretVariable(hostName: "DB_PASSWORD", value: "from-the-environment-31337")])
        #expect(host.vars["port"] == .int(8080))
        // Interpolating the secret itself by mistake shows its name, not its value.
        #expect("\(SecretVariable(hostName: "X", value: "v4lue"))" == "[secret X]")
        // Both values are now hidden from every output of the process.
        #expect(SecretRedaction.redact("token inline-s3cret-77, pw from-the-environment-31337.") == "token [secret], pw [secret].")
    }

    @Test func mistakesAreDiagnosticsAtTheirPlace() {
        unsetenv("CUTOVER_TEST_UNSET_SECRET")
        // Values registered here are redacted from every output of the test process: long and unique.
        let diagnostics = summaries(loadDiagnostics("""
        hosts:
          a: { vars: { one: { secret: true, env: CUTOVER_TEST_UNSET_SECRET } } }
          b: { vars: { two: { secret: true, value: q-4242-b, env: Y } } }
          c: { vars: { three: { secret: true } } }
          d: { vars: { bad-name: { secret: true, value: q-4242-d } } }
          e: { vars: { four: { secret: false, value: q-4242-e } } }
          f: { vars: { five: { secret: true, valu: q-4242-f } } }
        """))
        #expect(diagnostics.contains("2:42: environment variable 'CUTOVER_TEST_UNSET_SECRET' for secret var 'one' is not set"))
        #expect(diagnostics.contains("3:16: secret var 'two' needs exactly one of 'value' or 'env'"))
        #expect(diagnostics.contains("4:16: secret var 'three' needs exactly one of 'value' or 'env'"))
        #expect(diagnostics.contains { $0.hasPrefix("5:16: secret var 'bad-name': a secret's name must be letters") })
        #expect(diagnostics.contains("6:32: 'secret' can only be true (leave it out for an ordinary variable)"))
        #expect(diagnostics.contains { $0.hasPrefix("7:38: unknown key 'valu' in secret var 'five'") })
    }

    /// A secret named `path` would become `$PATH` (and `ld_preload` `$LD_PRELOAD`, `cutover_x`
    /// `$CUTOVER_X`…) in the environment of the host's commands: names the shell, the loader,
    /// ssh or Cutover rely on are refused where they are written.
    @Test(arguments: ["path", "Path", "ld_preload", "LD_LIBRARY_PATH", "ld_", "bash_env", "env", "ifs", "ps4", "shellopts",
                      "bashopts", "home", "shell", "user", "logname", "tmpdir", "pwd", "oldpwd", "cdpath", "globignore",
                      "prompt_command", "cutover_release", "CUTOVER_DEPLOY_ROOT", "ssh_auth_sock", "ssh_connection"])
    func aSecretNamedLikeAnEnvironmentVariableTheHostReliesOnIsRefused(name: String) {
        let diagnostics = summaries(loadDiagnostics("""
        hosts:
          a: { vars: { \(name): { secret: true, value: q-4242-reserved } } }
        """))
        let expected = "2:16: secret var '\(name)': its hosts would see it as $\(name.uppercased()), "
        #expect(diagnostics.contains { $0.hasPrefix(expected) }, "\(diagnostics)")
    }

    /// Names that merely contain a reserved one are ordinary secrets.
    @Test func namesThatOnlyResembleReservedOnesAreKept() throws {
        let inventory = try loadInventory("""
        hosts:
          a: { vars: { path_token: { secret: true, value: q-4242-p1 }, my_home: { secret: true, value: q-4242-p2 },
                       user_password: { secret: true, value: q-4242-p3 }, sshpass: { secret: true, value: q-4242-p4 } } }
        """)
        #expect(inventory.hosts.first?.secrets.map(\.hostName) == ["MY_HOME", "PATH_TOKEN", "SSHPASS", "USER_PASSWORD"])
    }
}
