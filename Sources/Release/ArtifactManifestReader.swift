import Crypto
import Foundation

/// Reads an artifact's ``ArtifactManifest``: one streaming pass over the tar that hashes every
/// file's data and notes where each member's records lie.
///
/// - Important: read only an artifact ``ArtifactInspector`` accepted: the safety rules live there;
///   this reader only describes what the archive makes.
public enum ArtifactManifestReader {
    /// Reads the manifest of a validated artifact.
    public static func read(_ artifact: Artifact) throws(ArtifactError) -> ArtifactManifest {
        var parser = Parser()
        try ArtifactTarBytes.stream(path: artifact.path, format: artifact.format) { (bytes: UnsafeRawBufferPointer) throws(ArtifactError) in
            try parser.consume(bytes)
        }
        guard parser.ended else { throw ArtifactError(.corrupt, "the archive is truncated (no end-of-archive marker)") }
        return ArtifactManifest(entries: parser.entries)
    }

    private struct Parser {
        enum State {
            case header
            case data(remaining: Int64, padding: Int64)
            case metadata(type: UInt8, remaining: Int64, padding: Int64)
            case skip(Int64)
            case ended
        }

        var state = State.header
        var offset: Int64 = 0
        var block: [UInt8] = []
        var metadata: [UInt8] = []
        var extended = ExtendedHeaders()
        /// Where the records of the member being read began (its first extended header).
        var memberStart: Int64?
        var hasher: SHA256?
        var entries: [ArtifactManifest.Entry] = []
        var ended: Bool { if case .ended = state { return true } else { return false } }

        mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
            var index = 0
            while index < bytes.count {
                switch state {
                case .ended:
                    return
                case .skip(let remaining):
                    let taken = Int(min(Int64(bytes.count - index), remaining))
                    advance(&index, taken)
                    if remaining - Int64(taken) == 0 { closeMember() } else { state = .skip(remaining - Int64(taken)) }
                case .data(let remaining, let padding):
                    let taken = Int(min(Int64(bytes.count - index), remaining))
                    hasher?.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + taken)]))
                    advance(&index, taken)
                    if remaining - Int64(taken) > 0 {
                        state = .data(remaining: remaining - Int64(taken), padding: padding)
                    } else {
                        entries[entries.count - 1].sha256 = hasher?.finalize().map { String(format: "%02x", $0) }.joined()
                        hasher = nil
                        if padding == 0 { closeMember() } else { state = .skip(padding) }
                    }
                case .metadata(let type, let remaining, let padding):
                    let taken = Int(min(Int64(bytes.count - index), remaining))
                    metadata.append(contentsOf: bytes[index..<(index + taken)])
                    advance(&index, taken)
                    if remaining - Int64(taken) > 0 {
                        state = .metadata(type: type, remaining: remaining - Int64(taken), padding: padding)
                    } else {
                        try apply(type)
                        state = padding == 0 ? .header : .skip(padding)
                    }
                case .header:
                    let taken = min(bytes.count - index, 512 - block.count)
                    block.append(contentsOf: bytes[index..<(index + taken)])
                    advance(&index, taken)
                    if block.count == 512 {
                        try header(startingAt: offset - 512)
                        block.removeAll(keepingCapacity: true)
                    }
                }
            }
        }

        private mutating func advance(_ index: inout Int, _ count: Int) {
            index += count
            offset += Int64(count)
        }

        /// After a member's last byte: its range ends here. After a metadata header's padding the
        /// member has not come yet, so nothing closes.
        private mutating func closeMember() {
            if memberStart == nil, let last = entries.indices.last, entries[last].range.isEmpty {
                entries[last].range = entries[last].range.lowerBound..<offset
            }
            state = .header
        }

        private mutating func header(startingAt start: Int64) throws(ArtifactError) {
            if TarHeader.isZero(block) {
                state = .ended
                return
            }
            guard let header = TarHeader(block: block) else {
                throw ArtifactError(.corrupt, "bad tar header checksum after \(entries.count) entries")
            }
            let padding = { (size: Int64) in (512 - size % 512) % 512 }
            switch header.type {
            case UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"), UInt8(ascii: "g"):
                if header.type != UInt8(ascii: "g"), memberStart == nil { memberStart = start }
                metadata.removeAll(keepingCapacity: true)
                if header.size == 0 {
                    try apply(header.type)
                } else {
                    state = .metadata(type: header.type, remaining: header.size, padding: padding(header.size))
                }
                return
            default:
                break
            }
            let member = extended.apply(to: header)
            let kind: ArtifactManifest.Kind
            switch header.type {
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "1"): kind = .hardlink
            default: kind = .file
            }
            let size = kind == .file ? member.size : 0
            entries.append(ArtifactManifest.Entry(
                path: TarPath(member.name).canonical, kind: kind, mode: header.mode, modified: member.modified,
                size: size, sha256: nil, linkTarget: member.linkName, range: (memberStart ?? start)..<(memberStart ?? start)))
            memberStart = nil
            if kind == .file {
                hasher = SHA256()
                if size == 0 {
                    entries[entries.count - 1].sha256 = SHA256.hash(data: [UInt8]()).map { String(format: "%02x", $0) }.joined()
                    hasher = nil
                    closeMember()
                } else {
                    state = .data(remaining: size, padding: padding(size))
                }
            } else {
                // Links and directories carry no data (as ``TarStream`` reads them).
                closeMember()
            }
        }

        private mutating func apply(_ type: UInt8) throws(ArtifactError) {
            switch type {
            case UInt8(ascii: "L"):
                extended.readLongName(metadata)
            case UInt8(ascii: "K"):
                extended.readLongLink(metadata)
            case UInt8(ascii: "x"):
                guard let records = PaxRecords.parse(metadata) else {
                    throw ArtifactError(.corrupt, "malformed pax header after \(entries.count) entries")
                }
                try extended.readPax(records, after: entries.count)
            default:
                break
            }
            metadata.removeAll(keepingCapacity: true)
        }
    }
}
