/// The `step=` word of a journal line (``JournalEntry``): written by the remote scripts and by
/// ``SimulatedHost``, read back by ``HostState``, ``ReleaseRetention`` and `resume`, from this
/// one list, so writer and reader cannot spell a step two ways.
///
/// A word Cutover does not know (written by another version, older or newer) is not an error:
/// it parses as ``other(_:)`` and keeps its word, so `status` shows it and no decision acts on
/// it. The journal's format on hosts never changes with this type: each case is the word
/// Cutover has always written for it.
enum JournalStep: Sendable, Hashable, CustomStringConvertible {
    /// A release was extracted into `releases/` (`release=`).
    case extract
    /// Blue/green: the idle slot was pointed at a release and started (`slot=`, `release=`).
    case stage
    /// `current` moved to a release (`to=`, `from=`; `slot=` for blue/green).
    case `switch`
    /// `current` moved back, a rollback (`to=`, `from=`: the release rolled back from).
    case rollback
    /// The rollback's checks passed on the release rolled back to (`release=`).
    case rollbackVerified
    /// A wave passed every gate with this host on the release (`release=`, `wave=`).
    case waveVerified
    /// `hooks.migrate` passed on this host (`release=`).
    case migrate
    /// A lease whose holder was gone was taken over (`holder=`).
    case leaseTakeover
    /// `cutover unlock` broke the lease (`by=`, `holder=`).
    case unlock
    /// A release directory without a manifest naming this artifact was moved aside (`release=`, `aside=`).
    case releaseUntrusted
    /// A word this version does not know, kept as read.
    case other(String)

    /// The steps this version writes, each with its word.
    static let known: [JournalStep] = [
        .extract, .stage, .switch, .rollback, .rollbackVerified, .waveVerified, .migrate, .leaseTakeover, .unlock, .releaseUntrusted,
    ]

    private static let byWord: [String: JournalStep] = Dictionary(uniqueKeysWithValues: known.map { ($0.word, $0) })

    /// The step a word names: a known step's case, else ``other(_:)`` with the word.
    init(word: String) {
        self = Self.byWord[word] ?? .other(word)
    }

    /// Equal when the words are (`.other("switch")` is `.switch`).
    static func == (lhs: JournalStep, rhs: JournalStep) -> Bool { lhs.word == rhs.word }

    func hash(into hasher: inout Hasher) { hasher.combine(word) }

    /// The word written in the journal (`step=<word>`).
    var word: String {
        switch self {
        case .extract: "extract"
        case .stage: "stage"
        case .switch: "switch"
        case .rollback: "rollback"
        case .rollbackVerified: "rollback-verified"
        case .waveVerified: "wave-verified"
        case .migrate: "migrate"
        case .leaseTakeover: "lease-takeover"
        case .unlock: "unlock"
        case .releaseUntrusted: "release-untrusted"
        case .other(let word): word
        }
    }

    var description: String { word }

    /// A step that moved `current`: a switch or a rollback.
    var movesCurrent: Bool { self == .switch || self == .rollback }
}
