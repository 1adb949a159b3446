import Release
import Transport

/// The host side of `distribution: pull`: the host downloads the artifact itself (curl, else
/// wget) into a private temporary file next to the incoming file a push would write, checks its
/// sha256, and only then renames it into place; the extract step then runs as after a push.
///
/// The URL (it may carry a token) is never on a command line: it arrives on stdin, the shell
/// `read`s it into a variable and the builtin `printf` feeds it to `curl -K -` or `wget -i -`.
/// The downloader's own messages are discarded (they may quote the URL); the script reports
/// one `pull=…` line of words it chose itself, which ``PullOutcome/parse(_:expectedSHA256:)`` reads.
struct PullScript: Sendable {
    /// The incoming file the extract step reads (``HostLayout/incomingFile(sha256:gzip:)``).
    let incoming: String
    let sha256: String
    /// The artifact's size: the download is cut off a little beyond it (see ``fileBlocks``).
    let size: Int64
    /// The longest the download may take (the playbook's upload timeout).
    let seconds: Int

    /// Seconds a downloader may wait for the connection.
    static let connectSeconds = 15

    /// The downloader runs under `ulimit -f` of this many blocks, so no store can fill the
    /// host's disk: curl honours `--max-filesize` only when the server sends a length, and wget
    /// has no limit. POSIX shells (dash) count 512-byte blocks, bash 1024-byte ones, so the cap
    /// is one block beyond the artifact under dash and about twice it under bash; a downloader
    /// that reaches it dies of SIGXFSZ (or, where the shell left that signal ignored, as bash
    /// does, fails its write), and a failed download longer than the artifact says so.
    var fileBlocks: Int64 { max(size, 0) / 512 + 2 }

    var command: String {
        let q = ShellQuote.quote
        let limit = max(1, seconds)
        return """
        umask 077
        A=\(q(incoming)); T="${A%/*}/.pull-$$.part"
        trap 'rm -f -- "$T"; exit 1' HUP INT TERM
        mkdir -p -- "${A%/*}" || { echo "pull=failed reason=mkdir"; exit 0; }
        IFS= read -r u || { echo "pull=failed reason=nourl"; exit 0; }
        if command -v curl >/dev/null 2>&1; then t=curl
        elif command -v wget >/dev/null 2>&1; then t=wget
        else echo "pull=none"; exit 0; fi
        c=
        if [ "$t" = curl ]; then
          c=$(ulimit -f \(fileBlocks) 2>/dev/null; printf 'url = "%s"\\n' "$u" | curl -q -K - -f -s -S -L --proto =http,https --proto-redir =http,https \\
            --connect-timeout \(Self.connectSeconds) --max-time \(limit) --max-filesize \(max(size, 1)) -o "$T" -w '%{http_code}' 2>/dev/null); r=$?
        elif command -v timeout >/dev/null 2>&1; then
          (ulimit -f \(fileBlocks) 2>/dev/null; printf '%s\\n' "$u" | timeout \(limit) wget \(Self.wgetOptions) -O "$T" -i - 2>/dev/null); r=$?
        else
          (ulimit -f \(fileBlocks) 2>/dev/null; printf '%s\\n' "$u" | wget \(Self.wgetOptions) -O "$T" -i - 2>/dev/null); r=$?
        fi
        u=
        case $c in *[!0-9]*) c= ;; esac
        if [ "$r" -ne 0 ]; then
          n=0; [ ! -f "$T" ] || n=$(wc -c < "$T") || n=0; rm -f -- "$T"
          if [ "${n:-0}" -gt \(max(size, 0)) ] 2>/dev/null; then echo "pull=failed tool=$t exit=$r reason=size"; exit 0; fi
          echo "pull=failed tool=$t exit=$r http=$c"; exit 0
        fi
        h=$(sha256sum < "$T"); h=${h%% *}
        if [ "$h" != \(q(sha256)) ]; then rm -f -- "$T"; echo "pull=mismatch tool=$t sha256=$h"; exit 0; fi
        mv -f -- "$T" "$A" || { rm -f -- "$T"; echo "pull=failed tool=$t reason=mv"; exit 0; }
        echo "pull=ok tool=$t bytes=$(wc -c < "$A")"
        """
    }

    /// wget's options: no `/etc/wgetrc` or `~/.wgetrc` (either could turn the certificate check
    /// off, add headers or a proxy), certificates checked, one try, a few redirects.
    static let wgetOptions = "--no-config -q --tries=1 --timeout=\(connectSeconds) --max-redirect=5 --check-certificate=on"

    /// The script's stdin: the URL, one line.
    static func input(_ url: PullSource) -> [UInt8] {
        Array((url.url.secretText + "\n").utf8)
    }
}

/// What a host's download came to.
enum PullOutcome: Sendable, Hashable {
    /// The host holds the artifact in the incoming file, sha256 verified.
    case pulled(tool: String, bytes: Int64)
    /// It does not (and left nothing behind): why, in words safe to show (no URL in them).
    case failed(String)

    /// Reads the script's `pull=…` line. Anything else (output cut short, a hostile login
    /// script printing lines of its own) is a failure, never a success.
    static func parse(_ stdout: String, expectedSHA256: String) -> PullOutcome {
        guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix("pull=") }) else {
            return .failed("the host's download script said nothing")
        }
        var fields: [String: String] = [:]
        for word in line.split(separator: " ") {
            guard let eq = word.firstIndex(of: "=") else { continue }
            fields[String(word[..<eq])] = String(word[word.index(after: eq)...])
        }
        let named = fields["tool"] ?? ""
        let tool: String = named == "curl" || named == "wget" ? named : "the downloader"
        switch fields["pull"] {
        case "ok":
            guard let bytes = fields["bytes"].flatMap({ Int64($0) }) else { return .failed("the host's download script said nothing") }
            return .pulled(tool: tool, bytes: bytes)
        case "none":
            return .failed("the host has neither curl nor wget")
        case "mismatch":
            let hex = String((fields["sha256"] ?? "").prefix(64).filter(\.isHexDigit))
            let got = hex.isEmpty ? "unknown" : hex
            return .failed("\(tool) fetched bytes whose sha256 is \(got), not \(expectedSHA256)")
        default:
            if fields["reason"] == "nourl" { return .failed("the host did not receive the URL") }
            if fields["reason"] == "mkdir" { return .failed("cannot create the incoming directory") }
            if fields["reason"] == "mv" { return .failed("cannot move the download into place") }
            let exit = fields["exit"].flatMap { Int($0) }
            if fields["reason"] == "size" {
                return .failed("\(tool) was sent more bytes than the artifact has (stopped at the size cap, \(exit.map { "exit \($0)" } ?? "failed"))")
            }
            return .failed("\(tool) " + describe(tool: tool, exit: exit, http: fields["http"].flatMap { Int($0) }))
        }
    }

    /// What followed the tool's name: `exit 22, HTTP 404`, `timed out (exit 28)`, …
    static func describe(tool: String, exit: Int?, http: Int?) -> String {
        let code = exit.map { "exit \($0)" } ?? "failed"
        let status = http.flatMap { $0 >= 100 ? ", HTTP \($0)" : nil } ?? ""
        switch (tool, exit) {
        case ("curl", 28?), ("wget", .some(Int(TimeoutExit.expired.rawValue))): return "timed out (\(code))"
        case ("curl", 6?), ("wget", 4?): return "could not reach the store (\(code))"
        case ("curl", 7?): return "could not connect to the store (\(code))"
        case ("curl", 63?): return "was offered a file larger than the artifact (\(code))"
        case ("wget", 8?): return "got an HTTP error (\(code))"
        default: return code + status
        }
    }

    /// How the host got the artifact, for the upload step's event.
    var detail: String? {
        guard case .pulled(let tool, let bytes) = self else { return nil }
        return "pulled by the host with \(tool), \(bytes) bytes, sha256 verified"
    }
}
