/// Validates a tar byte stream fed in chunks of any size, with bounded memory.
///
/// Headers are decoded block by block; file data is skipped; GNU long names and pax headers are
/// collected (up to 1 MiB) and applied to the next member as GNU tar applies them.
struct TarStream {
    private enum State {
        case header
        case skip(Int64)
        case metadata(type: UInt8, remaining: Int64, padding: Int64)
        /// The data of the build stamp file, kept (see `ArtifactBuildTime.stampFile`).
        case stamp(remaining: Int64, padding: Int64)
        case ended
    }

    /// Largest GNU long name or pax header accepted.
    static let maxMetadataBytes: Int64 = 1 << 20

    let limits: ArtifactLimits
    private let modeRules: TarModeRules
    private var state = State.header
    private var block: [UInt8] = []
    private var metadata: [UInt8] = []
    private var zeroBlocks = 0
    private var rules = TarEntryRules()
    private var extended = ExtendedHeaders()
    private var stampBytes: [UInt8] = []
    /// Members seen, not counting metadata headers.
    private(set) var entryCount = 0
    /// Sum of member data sizes.
    private(set) var unpackedBytes: Int64 = 0
    /// The newest member modification time, Unix seconds.
    private(set) var newestModified: Int64?
    /// The contents of the top-level build stamp file, when the archive has one.
    private(set) var buildStamp: String?

    init(limits: ArtifactLimits, allowSpecialModes: Bool = false) {
        self.limits = limits
        modeRules = TarModeRules(allowSpecialModes: allowSpecialModes)
        block.reserveCapacity(512)
    }

    /// Consumes the next bytes of the stream.
    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
        var index = 0
        while index < bytes.count {
            switch state {
            case .ended:
                return
            case .skip(let remaining):
                let taken = Int(min(Int64(bytes.count - index), remaining))
                index += taken
                state = remaining - Int64(taken) == 0 ? .header : .skip(remaining - Int64(taken))
            case .stamp(let remaining, let padding):
                let taken = Int(min(Int64(bytes.count - index), remaining))
                stampBytes.append(contentsOf: bytes[index..<(index + taken)])
                index += taken
                if remaining - Int64(taken) == 0 {
                    buildStamp = String(decoding: stampBytes, as: UTF8.self)
                    state = padding == 0 ? .header : .skip(padding)
                } else {
                    state = .stamp(remaining: remaining - Int64(taken), padding: padding)
                }
            case .metadata(let type, let remaining, let padding):
                let taken = Int(min(Int64(bytes.count - index), remaining))
                metadata.append(contentsOf: bytes[index..<(index + taken)])
                index += taken
                if remaining - Int64(taken) == 0 {
                    try applyMetadata(type: type)
                    state = padding == 0 ? .header : .skip(padding)
                } else {
                    state = .metadata(type: type, remaining: remaining - Int64(taken), padding: padding)
                }
            case .header:
                let taken = min(bytes.count - index, 512 - block.count)
                block.append(contentsOf: bytes[index..<(index + taken)])
                index += taken
                if block.count == 512 {
                    try header()
                    block.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// Checks that the stream ended cleanly with the end-of-archive blocks, and that every
    /// symlink stays inside the release through the links that came after it.
    func finish() throws(ArtifactError) {
        guard case .ended = state else {
            if case .header = state, entryCount == 0, zeroBlocks == 0, extended.isEmpty {
                throw ArtifactError(.notATar, block.isEmpty ? "the file is empty" : "the file is too short to be a tar archive")
            }
            throw ArtifactError(.corrupt, "the archive is truncated (no end-of-archive marker)")
        }
        try rules.finish()
    }

    private mutating func header() throws(ArtifactError) {
        if TarHeader.isZero(block) {
            zeroBlocks += 1
            if zeroBlocks == 2 { state = .ended }
            return
        }
        if zeroBlocks > 0 {
            throw ArtifactError(.corrupt, "data after an end-of-archive block")
        }
        guard let header = TarHeader(block: block) else {
            if entryCount == 0 && extended.isEmpty && !TarHeader.hasMagic(block) {
                throw ArtifactError(.notATar, "the file is not a tar archive")
            }
            throw ArtifactError(.corrupt, "bad tar header checksum after \(entryCount) entries")
        }
        switch header.type {
        case UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g"):
            guard header.size <= Self.maxMetadataBytes else {
                throw ArtifactError(.corrupt, "metadata header of \(header.size) bytes is too large")
            }
            metadata.removeAll(keepingCapacity: true)
            if header.size == 0 {
                // An empty one counts too: an empty `x` header replaces the one before it.
                try applyMetadata(type: header.type)
            } else {
                state = .metadata(type: header.type, remaining: header.size, padding: (512 - header.size % 512) % 512)
            }
            return
        default:
            break
        }
        let member = extended.apply(to: header)
        let name = member.name, size = member.size, modified = member.modified
        let padding = (512 - size % 512) % 512
        guard !name.isEmpty else {
            throw ArtifactError(.corrupt, "an entry has an empty name")
        }
        try rules.check(type: header.type, name: name, linkName: member.linkName)
        try modeRules.check(type: header.type, name: name, mode: header.mode)
        entryCount += 1
        if entryCount > limits.maxEntries {
            throw ArtifactError(.tooManyEntries, "more than \(limits.maxEntries) entries (at '\(name)')")
        }
        let hasData = ![UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "5")].contains(header.type)
        let dataSize = hasData ? size : 0
        // Compared before adding: a size near Int64.max (pax `size=`, base-256) must not overflow.
        if dataSize > limits.maxUnpackedBytes - unpackedBytes {
            throw ArtifactError(.bomb, "unpacked size exceeds \(limits.maxUnpackedBytes) bytes (at '\(name)')")
        }
        unpackedBytes += dataSize
        newestModified = max(newestModified ?? modified, modified)
        if ArtifactBuildTime.isStampFile(name), header.type == UInt8(ascii: "0") || header.type == 0,
           dataSize > 0, dataSize <= ArtifactBuildTime.maxStampBytes {
            stampBytes.removeAll()
            state = .stamp(remaining: dataSize, padding: padding)
            return
        }
        let skip = dataSize == 0 ? 0 : dataSize + padding
        state = skip == 0 ? .header : .skip(skip)
    }

    private mutating func applyMetadata(type: UInt8) throws(ArtifactError) {
        switch type {
        case UInt8(ascii: "L"):
            extended.readLongName(metadata)
        case UInt8(ascii: "K"):
            extended.readLongLink(metadata)
        case UInt8(ascii: "x"):
            guard let records = PaxRecords.parse(metadata) else {
                throw ArtifactError(.corrupt, "malformed pax header after \(entryCount) entries")
            }
            try extended.readPax(records, after: entryCount)
        default:
            guard let records = PaxRecords.parse(metadata) else {
                throw ArtifactError(.corrupt, "malformed pax global header")
            }
            // A global record applies to every later member; these would rename or resize them unseen.
            if let key = records.keys.sorted().first(where: { ["path", "linkpath", "size"].contains($0) || $0.hasPrefix("GNU.sparse.") }) {
                throw ArtifactError(.unsupportedType, "pax global header sets '\(key)', which would apply to every later entry")
            }
        }
        metadata.removeAll(keepingCapacity: true)
    }
}
