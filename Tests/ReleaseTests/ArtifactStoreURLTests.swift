import Diagnostics
import Foundation
import Release
import Testing

/// `artifact_store: { path, url }` and `distribution:`: the URL's shape, its redaction, and
/// every mistake a `file:line:col` diagnostic that never quotes the URL's secret parts.
@Suite struct ArtifactStoreURLTests {
    func url(_ text: String) throws -> ArtifactStoreURL {
        try ArtifactStoreURL.parse(text).get()
    }

    @Test func appendsTheStoredNameBeforeTheQueryAndRedactsSecrets() throws {
        let plain = try url("http://store.example/releases")
        #expect(plain.appending("2.0.0-ab.tar.gz").secretText == "http://store.example/releases/2.0.0-ab.tar.gz")
        #expect(plain.redacted == "http://store.example/releases")
        #expect(plain.secretParts.isEmpty)

        let signed = try url("https://user:pa55@cdn.example:8443/r/?X-Amz-Signature=abc%2F&token=t0k")
        let one = signed.appending("1.0.0+b1-ff.tar")
        #expect(one.secretText == "https://user:pa55@cdn.example:8443/r/1.0.0+b1-ff.tar?X-Amz-Signature=abc%2F&token=t0k")
        #expect(one.redacted == "https://[redacted]@cdn.example:8443/r/1.0.0+b1-ff.tar?[redacted]")
        #expect("\(one)" == one.redacted, "interpolating the value prints no secret")
        #expect(one.scrub("curl: (22) https://user:pa55@cdn.example:8443/r/x?X-Amz-Signature=abc%2F&token=t0k") ==
                "curl: (22) https://[redacted]@cdn.example:8443/r/x?[redacted]")
    }

    @Test func secretsFromTheRunnersEnvironment() throws {
        let setting = try ArtifactStoreURLSetting.parse("https://cdn.example/{{ secrets.PATH_KEY }}/r/?sig={{secrets.SIG}}").get()
        #expect(setting.secretNames == ["PATH_KEY", "SIG"])
        #expect(setting.redacted == "[the store URL]")
        let url = try setting.resolve(["PATH_KEY": "k3y", "SIG": "s1g"]).get()
        #expect(url.secretText == "https://cdn.example/k3y/r/?sig=s1g")
        #expect(url.appending("a.tar").redacted == "https://cdn.example/[redacted]/r/a.tar?[redacted]")
        #expect(url.scrub("GET /k3y/r/a.tar") == "GET /[redacted]/r/a.tar")
        guard case .failure(let missing) = setting.resolve(["SIG": "s1g"]) else { Issue.record("resolved without $PATH_KEY"); return }
        #expect(missing.message == "names {{ secrets.PATH_KEY }}, but $PATH_KEY is not set on the runner")
        guard case .failure(let spaced) = setting.resolve(["PATH_KEY": "a secret", "SIG": "s"]) else { Issue.record("a space was accepted"); return }
        #expect(spaced.message.hasPrefix("once $PATH_KEY, $SIG are filled in, holds U+0020") && !spaced.message.contains("a secret"), "\(spaced.message)")
        guard case .failure(let other) = ArtifactStoreURLSetting.parse("https://cdn.example/{{ vars.X }}/") else { Issue.record("{{ vars.X }} was accepted"); return }
        #expect(other.message.contains("placeholders are {{ secrets.NAME }} only"))
        #expect(try ArtifactStoreURLSetting.parse("https://cdn.example/r/?t=1").get().redacted == "https://cdn.example/r/?[redacted]")
    }

    @Test(arguments: [
        ("ftp://store/", "must start with http:// or https://"),
        ("/srv/store", "must start with http:// or https://"),
        ("http:///releases/", "names no host"),
        ("http://store/a b", "holds U+0020"),
        ("http://store/\"x", "holds '\"'"),
        ("http://store/x\\y", "holds '\\'"),
        ("http://store/\nx", "holds U+000A"),
        ("http://store/r/#frag", "must not hold a fragment"),
        ("http://störe/", "holds U+00F6"),
    ])
    func refuses(_ text: String, _ reason: String) {
        guard case .failure(let error) = ArtifactStoreURL.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.message.contains(reason), "\(error.message)")
    }

    @Test func playbookKeys() throws {
        let scratch = Scratch()
        let path = scratch.write("Playbooks/web.yml", """
            app: web
            deploy_root: /srv/web
            artifact_store: { path: ../store, url: "https://cdn.example/releases/?token=s3cr3t" }
            distribution: pull
            """)
        let playbook = try PlaybookLoader.load(path)
        #expect(playbook.artifactStore == scratch.path + "/Playbooks/../store")
        #expect(playbook.artifactStoreURL?.redacted == "https://cdn.example/releases/?[redacted]")
        #expect(try playbook.artifactStoreURL?.resolve([:]).get().secretText == "https://cdn.example/releases/?token=s3cr3t")
        #expect(playbook.distribution == .pull)

        let plain = try PlaybookLoader.load(scratch.write("Playbooks/plain.yml", "app: web\ndeploy_root: /srv/web\nartifact_store: /store\n"))
        #expect(plain.artifactStore == "/store")
        #expect(plain.artifactStoreURL == nil)
        #expect(plain.distribution == .direct)
    }

    @Test func mistakesAreDiagnosticsThatNeverQuoteTheToken() {
        let found = errors("""
            app: web
            deploy_root: /srv/web
            artifact_store: { url: "https://cdn.example/r/?token=s3cr3t x", bucket: b }
            distribution: pul
            """)
        #expect(found.count == 4, "\(found.joined(separator: "\n"))")
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:3:24: error: artifact_store.url holds U+0020") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:3:65: error: unknown key 'bucket'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:3:17: error: artifact_store needs 'path'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:4:15: error: unknown distribution 'pul' (expected direct, pull or relay)") })
        #expect(found.allSatisfy { !$0.split(separator: "\n")[0].contains("s3cr3t") }, "the message line never quotes the URL")

        let noURL = errors("app: web\ndeploy_root: /srv/web\nartifact_store: /store\ndistribution: pull\n")
        #expect(noURL.count == 1 && noURL[0].hasPrefix("Playbooks/p.yml:4:15: error: distribution: pull needs the URL"), "\(noURL)")
        let http = errors("app: web\ndeploy_root: /srv/web\nartifact_store: https://cdn.example/r/\n")
        #expect(http.count == 1 && http[0].hasPrefix("Playbooks/p.yml:3:17: error: artifact_store: name a directory"), "\(http)")
    }

    func errors(_ text: String, file: String = "Playbooks/p.yml") -> [String] {
        let scratch = Scratch()
        let path = scratch.write(file, text)
        do {
            _ = try PlaybookLoader.load(path)
            return []
        } catch {
            return error.errors.map { $0.rendered.replacingOccurrences(of: scratch.path + "/", with: "") }
        }
    }
}
