/// Parses pax extended header data: `<length> <key>=<value>\n` records.
enum PaxRecords {
    /// The records as a dictionary; `nil` when a record is malformed.
    static func parse(_ data: [UInt8]) -> [String: String]? {
        var records: [String: String] = [:]
        var index = 0
        while index < data.count {
            if data[index] == 0 { break }
            var length = 0, cursor = index
            while cursor < data.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(data[cursor]) {
                length = length * 10 + Int(data[cursor] - UInt8(ascii: "0"))
                guard length <= data.count else { return nil }
                cursor += 1
            }
            guard cursor < data.count, data[cursor] == UInt8(ascii: " "), length > cursor - index + 1,
                  index + length <= data.count, data[index + length - 1] == UInt8(ascii: "\n") else { return nil }
            let record = data[(cursor + 1)..<(index + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = String(decoding: record[..<equals], as: UTF8.self)
            records[key] = String(decoding: record[(equals + 1)...], as: UTF8.self)
            index += length
        }
        return records
    }
}
