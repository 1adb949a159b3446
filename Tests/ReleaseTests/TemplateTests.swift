import Release
import Testing

@Suite struct TemplateTests {
    @Test func rendersPlaceholders() throws {
        let template = try Template(parsing: "http://{{ address }}:{{vars.port}}/{{  host }}")
        #expect(template.placeholders == ["address", "vars.port", "host"])
        let text = try template.render(TemplateValues(host: "web1", address: "10.0.0.1", vars: ["port": "8080"]))
        #expect(text == "http://10.0.0.1:8080/web1")
    }

    @Test func unknownPlaceholderSuggests() {
        #expect(throws: TemplateError("unknown placeholder 'hots' (expected host, address, slot, slot_port or vars.NAME) (did you mean 'host'?)")) {
            try Template(parsing: "echo {{ hots }}")
        }
        #expect(throws: TemplateError.self) { try Template(parsing: "echo {{ host") }
        #expect(throws: TemplateError.self) { try Template(parsing: "echo {{ }}") }
        #expect(throws: TemplateError.self) { try Template(parsing: "echo {{ vars. }}") }
    }

    @Test func missingVariableNamesHost() throws {
        let template = try Template(parsing: "{{ vars.port }}")
        #expect(throws: TemplateError("host 'web1' has no variable 'port' used in template '{{ vars.port }}' (did you mean 'prot'?)")) {
            try template.render(TemplateValues(host: "web1", address: "a", vars: ["prot": "1"]))
        }
    }

    @Test func plainTextHasNoPlaceholders() throws {
        let template = try Template(parsing: "curl -fsS http://localhost/")
        #expect(template.placeholders.isEmpty)
        #expect(try template.render(TemplateValues(host: "h", address: "a")) == "curl -fsS http://localhost/")
    }
}
