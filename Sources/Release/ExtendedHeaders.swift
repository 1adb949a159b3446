/// The GNU long-name (`L`), long-link (`K`) and pax (`x`) headers read since the last member,
/// applied to the next member the way GNU tar applies them.
///
/// A pax `path` or `linkpath` wins over a GNU `L` or `K` record in either order; of several `L`
/// (or `K`) records the last wins; a pax header replaces the one before it whole, so a record the
/// last one does not repeat comes from the GNU records or the member's own header (GNU tar 1.34).
struct ExtendedHeaders {
    private var longName: String?
    private var longLink: String?
    private var paxPath: String?
    private var paxLink: String?
    private var paxSize: Int64?
    private var paxModified: Int64?

    /// Whether no extended header is waiting for its member.
    private(set) var isEmpty = true

    /// Reads the data of an `L` record.
    mutating func readLongName(_ data: [UInt8]) {
        longName = TarHeader.text(data[...])
        isEmpty = false
    }

    /// Reads the data of a `K` record.
    mutating func readLongLink(_ data: [UInt8]) {
        longLink = TarHeader.text(data[...])
        isEmpty = false
    }

    /// Reads the records of an `x` header, forgetting the previous one's.
    mutating func readPax(_ records: [String: String], after entryCount: Int) throws(ArtifactError) {
        if let sparse = records.keys.sorted().first(where: { $0.hasPrefix("GNU.sparse.") }) {
            throw ArtifactError(.unsupportedType, "pax record '\(sparse)' after \(entryCount) entries: sparse files are not deployed")
        }
        paxPath = records["path"]
        paxLink = records["linkpath"]
        paxSize = nil
        if let text = records["size"] {
            guard let size = Int64(text), size >= 0 else {
                throw ArtifactError(.corrupt, "invalid pax size '\(text)'")
            }
            paxSize = size
        }
        // `Int64(exactly:)`: a pax mtime of 1e300 is finite but no Int64 (it trapped; Fuzz/Corpus/artifact/crash-pax-mtime.tar).
        paxModified = records["mtime"].flatMap { Double($0) }.flatMap { Int64(exactly: $0.rounded(.down)) }
        isEmpty = false
    }

    /// The member's header with the waiting records applied; they are used up.
    mutating func apply(to header: TarHeader) -> TarHeader {
        var member = header
        member.name = paxPath ?? longName ?? header.name
        member.linkName = paxLink ?? longLink ?? header.linkName
        member.size = paxSize ?? header.size
        member.modified = paxModified ?? header.modified
        self = ExtendedHeaders()
        return member
    }
}
