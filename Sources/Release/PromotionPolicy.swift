public import Diagnostics

/// The playbook's `promotion:` policy: which environment must have run an artifact before
/// another accepts it (`production: { from: staging, soak: 30m }`).
///
/// The decision itself needs the ledger (what ran where, how it ended, when): see
/// `PromotionGate` in Ledger. This is only what the playbook asks for.
public struct PromotionPolicy: Sendable, Hashable {
    /// One environment's rule.
    public struct Rule: Sendable, Hashable {
        /// The environment being deployed to.
        public var environment: String
        /// The environment the artifact must have been promoted in first.
        public var from: String
        /// How long it must have run there, promoted and not rolled back, before it is accepted.
        public var soak: Duration?
        /// Where the rule was written, for messages.
        public var location: SourceLocation?

        public init(environment: String, from: String, soak: Duration? = nil, location: SourceLocation? = nil) {
            self.environment = environment
            self.from = from
            self.soak = soak
            self.location = location
        }
    }

    /// Rules by the environment they guard.
    public var rules: [String: Rule]

    public init(rules: [String: Rule] = [:]) {
        self.rules = rules
    }

    /// The rule a deploy to `environment` must pass; nil when it has none.
    public func rule(for environment: String) -> Rule? {
        rules[environment]
    }

    /// The environments `environment` promotes to (the rules naming it as `from`), sorted.
    public func next(after environment: String) -> [String] {
        rules.values.filter { $0.from == environment }.map(\.environment).sorted()
    }

    /// The chain of environments an artifact passes to reach `environment`, first first
    /// (`[staging, production]`), following `from` (a cycle is refused by the parser).
    public func path(to environment: String) -> [String] {
        var chain = [environment]
        var current = environment
        while let rule = rules[current], !chain.contains(rule.from) {
            chain.insert(rule.from, at: 0)
            current = rule.from
        }
        return chain
    }
}
