import Foundation
import Testing
import TestSupport

/// Every case of ``AnsibleCorpus`` through real `ansible-inventory --list` (ansible-core, installed
/// by `Scripts/install-deps`) and `cutover inventory --list --output json`: same hosts, same group
/// membership, same connection fields and variable values; or, where Cutover deliberately differs,
/// the diagnostic naming the line.
///
/// Each case prints `ansible-diff: <case> agree|differ|diagnosed` so `Scripts/ansible-agreement`
/// can count them. `CUTOVER_DIFF_EXECUTABLE` runs another cutover build (to measure an older one).
// Serialized: 84 `ansible-inventory` processes (about a second of Python CPU each) started at
// once loaded the two cores past what the timing-bound suites beside it tolerate.
@Suite(.serialized) struct AnsibleDifferentialTests {
    @Test(arguments: AnsibleCorpus.cases)
    func readsLikeAnsibleInventory(_ testCase: InventoryCase) async throws {
        let directory = try CaseDirectory(testCase)
        defer { directory.remove() }
        let path = directory.path + "/" + testCase.inventory
        let cutover = try await Self.runCutover(["inventory", "--list", "--output", "json", "--ssh-config", "none", "-i", path], in: directory)
        switch testCase.expectation {
        case .agrees:
            let ansible = try await AnsibleInventoryTool.list(path, in: directory.path)
            #expect(cutover.status == 0, "cutover failed: \(cutover.stderr)")
            let differences = if let listing = try? JSONValue.parse(cutover.stdout) {
                ListingComparison(expected: ansible, actual: listing).differences
            } else {
                ["cutover printed no listing: \(cutover.stderr)"]
            }
            print("ansible-diff: \(testCase.name) \(differences.isEmpty && cutover.status == 0 ? "agree" : "differ")")
            #expect(differences.isEmpty, "\(testCase.name): \(differences.joined(separator: "; "))")
        case .differs(let diagnostic):
            let relative = cutover.stderr.replacingOccurrences(of: directory.path + "/", with: "")
            let found = relative.contains(diagnostic)
            print("ansible-diff: \(testCase.name) \(found ? "diagnosed" : "differ")")
            #expect(found, "expected '\(diagnostic)' in:\n\(relative)")
        }
    }

    static func runCutover(_ arguments: [String], in directory: CaseDirectory) async throws -> Shell.Result {
        let executable = ProcessInfo.processInfo.environment["CUTOVER_DIFF_EXECUTABLE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let executable else { return try await CutoverProcess.run(arguments, environment: ["XDG_STATE_HOME": directory.path]) }
        return try await Shell.runDetached([executable] + arguments, environment: ["XDG_STATE_HOME": directory.path, "NO_COLOR": "1"])
    }

    @Test func missingAnsibleInventoryIsAFailureWithAClearMessage() throws {
        let error = #expect(throws: AnsibleInventoryTool.Missing.self) {
            _ = try AnsibleInventoryTool.executable(environment: ["CUTOVER_ANSIBLE_INVENTORY": "/nonexistent/ansible-inventory"])
        }
        #expect(error?.description.contains("Scripts/install-deps") == true)
    }
}

/// The real `ansible-inventory`, from the venv `Scripts/install-deps` creates.
enum AnsibleInventoryTool {
    static let defaultPath = "/opt/cutover-tools/venv/bin/ansible-inventory"

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "ansible-inventory not found at \(path): run Scripts/install-deps (it installs ansible-core into "
                + "/opt/cutover-tools/venv), or point CUTOVER_ANSIBLE_INVENTORY at an ansible-inventory"
        }
    }

    static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let path = environment["CUTOVER_ANSIBLE_INVENTORY"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// `ansible-inventory -i path --list`, with no configuration of the machine's leaking in.
    static func list(_ path: String, in directory: String) async throws -> JSONValue {
        let tool = try executable()
        let config = directory + "/.ansible.cfg"
        try Data("[defaults]\n".utf8).write(to: URL(fileURLWithPath: config))
        let result = try await Shell.runDetached([tool, "-i", path, "--list"], environment: [
            "ANSIBLE_CONFIG": config, "ANSIBLE_HOME": directory + "/.ansible", "ANSIBLE_LOCAL_TEMP": directory + "/.ansible/tmp",
            "ANSIBLE_NOCOLOR": "1", "ANSIBLE_DEPRECATION_WARNINGS": "0", "ANSIBLE_INVENTORY_UNPARSED_FAILED": "1",
            "PYTHONWARNINGS": "ignore",
        ])
        guard result.status == 0 else {
            throw ToolFailure(description: "ansible-inventory failed (\(result.status)) on \(path):\n\(result.stderr)")
        }
        return try JSONValue.parse(result.stdout)
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var description: String
    }
}

/// A fresh directory holding one case's files.
struct CaseDirectory {
    let path: String

    init(_ testCase: InventoryCase) throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("ansible-diff-\(UUID().uuidString)")
        for (name, text) in testCase.files {
            let file = path + "/" + name
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A JSON value with numbers compared by value and booleans kept apart from numbers.
enum JSONValue: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    var object: [String: JSONValue]? {
        if case .object(let values) = self { return values }
        return nil
    }

    var strings: [String]? {
        guard case .array(let items) = self else { return nil }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return String(flag)
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let text): return "\"\(text)\""
        case .array(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let values): return "{" + values.keys.sorted().map { "\($0): \(values[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}

extension JSONValue: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}

/// The differences between two `--list` outputs that matter: hosts, each group's direct hosts and
/// children, and every host's variables (connection fields among them).
struct ListingComparison {
    var expected: JSONValue
    var actual: JSONValue

    var differences: [String] {
        var found: [String] = []
        let expectedRoot = expected.object ?? [:], actualRoot = actual.object ?? [:]
        let expectedVars = expectedRoot["_meta"]?.object?["hostvars"]?.object ?? [:]
        let actualVars = actualRoot["_meta"]?.object?["hostvars"]?.object ?? [:]
        let expectedHosts = Self.hosts(in: expectedRoot), actualHosts = Self.hosts(in: actualRoot)
        if expectedHosts != actualHosts {
            found.append("hosts: ansible \(expectedHosts.sorted()) cutover \(actualHosts.sorted())")
        }
        let groups = Set(expectedRoot.keys).union(actualRoot.keys).subtracting(["_meta"])
        for group in groups.sorted() {
            let want = expectedRoot[group]?.object ?? [:], have = actualRoot[group]?.object ?? [:]
            for key in ["hosts", "children"] where want[key]?.strings ?? [] != have[key]?.strings ?? [] {
                found.append("\(group).\(key): ansible \(want[key]?.strings ?? []) cutover \(have[key]?.strings ?? [])")
            }
        }
        for host in expectedHosts.union(actualHosts).sorted() {
            let want = expectedVars[host]?.object ?? [:], have = actualVars[host]?.object ?? [:]
            for name in Set(want.keys).union(have.keys).sorted() where want[name] != have[name] {
                found.append("\(host).\(name): ansible \(want[name]?.description ?? "unset") cutover \(have[name]?.description ?? "unset")")
            }
        }
        return found
    }

    /// Every host named in a group or in `_meta.hostvars`.
    static func hosts(in root: [String: JSONValue]) -> Set<String> {
        var names = Set(root["_meta"]?.object?["hostvars"]?.object?.keys.map { $0 } ?? [])
        for (key, group) in root where key != "_meta" {
            names.formUnion(group.object?["hosts"]?.strings ?? [])
        }
        return names
    }
}
