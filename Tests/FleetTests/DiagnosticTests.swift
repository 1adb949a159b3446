import Diagnostics
import Testing

@Suite struct DiagnosticRenderingTests {
    @Test func rendersLocationSourceLineAndCaret() {
        let diagnostic = Diagnostic.error(
            "unknown key 'adress' (did you mean 'address'?)",
            at: SourceLocation(file: "Inventories/prod.yml", line: 7, column: 12),
            sourceLine: "  web-1: { adress: 10.0.0.11 }"
        )
        #expect(diagnostic.rendered == """
            Inventories/prod.yml:7:12: error: unknown key 'adress' (did you mean 'address'?)
              web-1: { adress: 10.0.0.11 }
                       ^
            """)
    }

    @Test func rendersWithoutLocation() {
        #expect(Diagnostic.error("no hosts selected").rendered == "cutover: error: no hosts selected")
        #expect(Diagnostic.warning("careful").rendered == "cutover: warning: careful")
    }

    @Test func caretKeepsTabs() {
        let diagnostic = Diagnostic.error("x", at: SourceLocation(file: "f", line: 1, column: 3), sourceLine: "\tab")
        #expect(diagnostic.rendered == "f:1:3: error: x\n\tab\n\t ^")
    }

    @Test func errorDescriptionCountsErrors() {
        let error = DiagnosticError(diagnostics: [.error("one"), .error("two")])
        #expect(error.description == "cutover: error: one\ncutover: error: two\n2 errors")
        let mixed = DiagnosticError(diagnostics: [.error("one"), .warning("two")])
        #expect(mixed.description.hasSuffix("\n1 error, 1 warning"))
    }

    @Test func collectorThrowsOnlyForErrors() throws {
        let collector = DiagnosticCollector()
        collector.report(.warning("just a warning"))
        try collector.check()
        collector.report(.error("real"))
        #expect(throws: DiagnosticError.self) { try collector.check() }
    }
}

@Suite struct SuggestionTests {
    @Test(arguments: [
        ("adress", "address"), ("hots", "hosts"), ("prot", "port"), ("identity", "identity_file"), ("wbe", "web"),
    ])
    func suggestsCloseWords(word: String, expected: String) {
        let candidates = ["address", "port", "hosts", "identity_file", "web", "user"]
        #expect(Suggestion.closest(to: word, in: candidates) == expected)
    }

    @Test func noSuggestionForDistantWords() {
        #expect(Suggestion.closest(to: "zzzzzz", in: ["address", "port"]) == nil)
        #expect(Suggestion.hint(for: "zzzzzz", in: ["port"]) == "")
    }

    @Test func editDistance() {
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }
}

@Suite struct YAMLReaderTests {
    @Test func syntaxErrorIsLocated() {
        let collector = DiagnosticCollector()
        let source = SourceText(path: "bad.yml", text: "hosts:\n  web-1: { address: [1, 2 }\n")
        #expect(YAMLDocument.parse(source, reportingTo: collector) == nil)
        let diagnostic = collector.diagnostics.first
        #expect(diagnostic?.location?.file == "bad.yml")
        #expect(diagnostic?.location?.line == 2)
        #expect(diagnostic?.message.hasPrefix("invalid YAML: ") == true)
        #expect(diagnostic?.sourceLine == "  web-1: { address: [1, 2 }")
    }

    @Test func duplicateKeyPointsAtSecondOccurrence() {
        let collector = DiagnosticCollector()
        let source = SourceText(path: "dup.yml", text: "hosts:\n  web-1: {}\n  web-2: {}\n  web-1: {}\n")
        #expect(YAMLDocument.parse(source, reportingTo: collector) == nil)
        #expect(summaries(collector.diagnostics) == ["4:3: duplicate key 'web-1'"])
    }

    @Test func duplicateKeyInFlowMapping() {
        let collector = DiagnosticCollector()
        let source = SourceText(path: "dup.yml", text: "web-1: { port: 1, port: 2 }\n")
        _ = YAMLDocument.parse(source, reportingTo: collector)
        #expect(summaries(collector.diagnostics) == ["1:19: duplicate key 'port'"])
    }

    @Test func aBase60NumberThatOverflowsIsAMismatchNotACrash() {
        // Found by Scripts/fuzz: Yams' YAML 1.1 base-60 reading of this scalar traps on overflow.
        let scalar = "4:4:4:4:4:224:4:4:4:44:22"
        let diagnostics = loadDiagnostics("hosts: \(scalar)\n")
        #expect(diagnostics.contains { $0.severity == .error && $0.location?.line == 1 }, "\(diagnostics)")
        let collector = DiagnosticCollector()
        let source = SourceText(path: "t.yml", text: "a: \(scalar)\n")
        if let root = YAMLDocument.parse(source, reportingTo: collector)?.root,
           let value = YAMLReader(source: source, collector: collector).mapping(root)?.first?.value {
            #expect(YAMLReader(source: source, collector: collector).mapping(value, for: "a") == nil)
        }
        #expect(collector.diagnostics.contains { $0.message.contains("a number") }, "\(collector.diagnostics)")
    }

    @Test func typeAccessorsReportMismatches() throws {
        let collector = DiagnosticCollector()
        let source = SourceText(path: "t.yml", text: "a: [1]\nb: x\nc: 'quoted'\nd: 7\ne: true\nf:\n")
        let document = try #require(YAMLDocument.parse(source, reportingTo: collector))
        let reader = YAMLReader(source: source, collector: collector)
        let root = try #require(document.root)
        let entries = try #require(reader.mapping(root))
        let values = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
        #expect(reader.mapping(values["a"]!, for: "a") == nil)
        #expect(reader.int(values["b"]!, for: "b") == nil)
        #expect(reader.int(values["c"]!) == nil)
        #expect(reader.int(values["d"]!) == 7)
        #expect(reader.bool(values["e"]!) == true)
        #expect(reader.string(values["f"]!, for: "f") == nil)
        #expect(reader.stringList(values["b"]!) == ["x"])
        #expect(summaries(collector.diagnostics) == [
            "1:4: expected a mapping for 'a', found a sequence",
            "2:4: expected an integer for 'b', found a string",
            "3:4: expected an integer, found a string",
            "6:3: expected a string for 'f', found null",
        ])
    }

    @Test func unknownKeysAreRejectedWithSuggestion() throws {
        let collector = DiagnosticCollector()
        let source = SourceText(path: "k.yml", text: "adress: x\nport: 1\nzzz: 2\n")
        let document = try #require(YAMLDocument.parse(source, reportingTo: collector))
        let reader = YAMLReader(source: source, collector: collector)
        let root = try #require(document.root)
        let entries = try #require(reader.mapping(root))
        let known = reader.rejectUnknownKeys(entries, allowed: ["address", "port"])
        #expect(known.map(\.key) == ["port"])
        #expect(summaries(collector.diagnostics) == [
            "1:1: unknown key 'adress' (did you mean 'address'?)",
            "3:1: unknown key 'zzz'",
        ])
    }
}
