/// Reads an INI inventory value the way Ansible's `ini` plugin does: as a Python literal
/// (`ast.literal_eval`), and as the text itself when it is not one.
///
/// Understood: integers (`42`, `-7`, `0x1f`, `0o17`, `0b101`, `1_000`), floats (`1.5`, `.5`, `1e3`),
/// strings in single or double quotes (escapes, `r` prefix, adjacent literals joined), `True`,
/// `False`, `None`, lists, tuples and dicts, and a trailing `# comment`. So `true` stays the
/// string `"true"` (a Python name, not a literal) while `True` is a boolean, exactly as Ansible reads them.
/// Not an error: anything else, which is the string as written (`hello world # c` included).
enum PythonLiteral {
    /// The value of `text`, or `nil` when it is not a literal Cutover reads (the caller keeps the text).
    static func parse(_ text: String) -> InventoryValue? {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        guard let value = parser.expression(depth: 0) else { return nil }
        parser.skipSpaceAndComment()
        return parser.atEnd ? value : nil
    }

    private struct Parser {
        var scalars: [Unicode.Scalar]
        var index = 0

        var atEnd: Bool { index >= scalars.count }
        var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        mutating func skipSpaceAndComment() {
            while let scalar = current {
                if scalar == " " || scalar == "\t" || scalar == "\u{0C}" || scalar == "\r" || scalar == "\n" {
                    index += 1
                } else if scalar == "#" {
                    while let next = current, next != "\n" { index += 1 }
                } else {
                    return
                }
            }
        }

        mutating func expression(depth: Int) -> InventoryValue? {
            guard depth < 64 else { return nil }
            skipSpaceAndComment()
            guard let scalar = current else { return nil }
            switch scalar {
            case "[": return sequence(close: "]", depth: depth)
            case "(": return sequence(close: ")", depth: depth)
            case "{": return dictionary(depth: depth)
            case "-", "+":
                index += 1
                skipSpaceAndComment()
                guard let next = current, isDigit(next) || next == "." else { return nil }
                guard let number = number() else { return nil }
                if scalar == "+" { return number }
                switch number {
                case .int(let value): return .int(-value)
                case .double(let value): return .double(-value)
                default: return nil
                }
            default:
                if isDigit(scalar) || (scalar == "." && index + 1 < scalars.count && isDigit(scalars[index + 1])) {
                    return number()
                }
                if let text = strings() { return .string(text) }
                return name()
            }
        }

        /// `True`, `False`, `None`; any other name is not a literal.
        mutating func name() -> InventoryValue? {
            var text = ""
            while let scalar = current, scalar.properties.isAlphabetic || isDigit(scalar) || scalar == "_" {
                text.unicodeScalars.append(scalar)
                index += 1
            }
            switch text {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .null
            default: return nil
            }
        }

        mutating func sequence(close: Unicode.Scalar, depth: Int) -> InventoryValue? {
            index += 1
            var items: [InventoryValue] = []
            var sawComma = false
            while true {
                skipSpaceAndComment()
                if current == close {
                    index += 1
                    // `(1)` is the number 1, `(1,)` a one-item tuple.
                    if close == ")" && items.count == 1 && !sawComma { return items[0] }
                    return .list(items)
                }
                guard let item = expression(depth: depth + 1) else { return nil }
                items.append(item)
                skipSpaceAndComment()
                if current == "," {
                    index += 1
                    sawComma = true
                } else if current != close {
                    return nil
                }
            }
        }

        mutating func dictionary(depth: Int) -> InventoryValue? {
            index += 1
            var values: [String: InventoryValue] = [:]
            while true {
                skipSpaceAndComment()
                if current == "}" {
                    index += 1
                    return .map(values)
                }
                guard let key = expression(depth: depth + 1) else { return nil }
                skipSpaceAndComment()
                guard current == ":" else { return nil }  // a set `{1, 2}` is not read
                index += 1
                guard let value = expression(depth: depth + 1) else { return nil }
                switch key {
                case .list, .map: return nil
                default: values[key.description] = value
                }
                skipSpaceAndComment()
                if current == "," {
                    index += 1
                } else if current != "}" {
                    return nil
                }
            }
        }

        // MARK: Numbers

        private func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

        /// Digits of `radix` with single `_` between them.
        private mutating func digits(_ allowed: (Unicode.Scalar) -> Bool) -> String? {
            var text = ""
            var lastUnderscore = false
            while let scalar = current, allowed(scalar) || scalar == "_" {
                if scalar == "_" {
                    guard !text.isEmpty, !lastUnderscore else { return nil }
                    lastUnderscore = true
                } else {
                    text.unicodeScalars.append(scalar)
                    lastUnderscore = false
                }
                index += 1
            }
            return lastUnderscore ? nil : text
        }

        mutating func number() -> InventoryValue? {
            if current == "0", index + 1 < scalars.count {
                let marker = scalars[index + 1]
                let radix: Int? = switch marker {
                case "x", "X": 16
                case "o", "O": 8
                case "b", "B": 2
                default: nil
                }
                if let radix {
                    index += 2
                    if current == "_" { index += 1 }
                    guard let text = digits({ Int(String($0), radix: radix) != nil }), !text.isEmpty,
                          let value = Int(text, radix: radix) else { return nil }
                    return endOfNumber() ? .int(value) : nil
                }
            }
            guard let whole = digits(isDigit) else { return nil }
            var isFloat = false
            var text = whole
            if current == "." {
                index += 1
                isFloat = true
                guard let fraction = digits(isDigit) else { return nil }
                text += "." + fraction
            }
            if current == "e" || current == "E" {
                index += 1
                isFloat = true
                var exponent = "e"
                if let sign = current, sign == "+" || sign == "-" {
                    exponent.unicodeScalars.append(sign)
                    index += 1
                }
                guard let power = digits(isDigit), !power.isEmpty else { return nil }
                text += exponent + power
            }
            guard endOfNumber() else { return nil }
            if isFloat {
                guard let value = Double(text.hasPrefix(".") ? "0" + text : text) else { return nil }
                return .double(value)
            }
            // Python refuses leading zeros in a decimal integer (`007`), except for zero itself.
            if whole.count > 1, whole.hasPrefix("0"), whole.contains(where: { $0 != "0" }) { return nil }
            guard let value = Int(whole) else { return nil }
            return .int(value)
        }

        /// A number ends at a delimiter, not a letter (`1j`, `12abc`).
        private func endOfNumber() -> Bool {
            guard let scalar = current else { return true }
            return !(scalar.properties.isAlphabetic || isDigit(scalar) || scalar == "_" || scalar == ".")
        }

        // MARK: Strings

        /// One or more adjacent string literals, joined; `nil` when there is none here.
        mutating func strings() -> String? {
            var result: String?
            while true {
                let start = index
                skipSpaceAndComment()
                guard let text = string() else {
                    index = start
                    return result
                }
                result = (result ?? "") + text
            }
        }

        private mutating func string() -> String? {
            let start = index
            var raw = false
            while let scalar = current, "rRuUbB".unicodeScalars.contains(scalar), index - start < 2 {
                if scalar == "r" || scalar == "R" { raw = true }
                index += 1
            }
            guard let quote = current, quote == "'" || quote == "\"" else {
                index = start
                return nil
            }
            let triple = index + 2 < scalars.count && scalars[index + 1] == quote && scalars[index + 2] == quote
            index += triple ? 3 : 1
            var text = ""
            while let scalar = current {
                if scalar == quote {
                    if !triple {
                        index += 1
                        return text
                    }
                    if index + 2 < scalars.count, scalars[index + 1] == quote, scalars[index + 2] == quote {
                        index += 3
                        return text
                    }
                }
                if scalar == "\n" && !triple { break }
                if scalar == "\\", index + 1 < scalars.count {
                    let next = scalars[index + 1]
                    if raw {
                        text.unicodeScalars.append(scalar)
                        text.unicodeScalars.append(next)
                        index += 2
                        continue
                    }
                    index += 2
                    guard let escaped = escape(next) else { return nil }
                    text += escaped
                    continue
                }
                text.unicodeScalars.append(scalar)
                index += 1
            }
            index = start
            return nil
        }

        /// The text of `\` followed by `next` (index already past `next`).
        private mutating func escape(_ next: Unicode.Scalar) -> String? {
            switch next {
            case "n": return "\n"
            case "t": return "\t"
            case "r": return "\r"
            case "0": return "\0"
            case "a": return "\u{07}"
            case "b": return "\u{08}"
            case "f": return "\u{0C}"
            case "v": return "\u{0B}"
            case "\\", "'", "\"": return String(Character(next))
            case "\n": return ""
            case "x": return hex(count: 2)
            case "u": return hex(count: 4)
            case "U": return hex(count: 8)
            default: return "\\" + String(Character(next))  // Python keeps unknown escapes as written
            }
        }

        private mutating func hex(count: Int) -> String? {
            guard index + count <= scalars.count else { return nil }
            let text = String(String.UnicodeScalarView(scalars[index..<index + count]))
            guard let value = UInt32(text, radix: 16), let scalar = Unicode.Scalar(value) else { return nil }
            index += count
            return String(Character(scalar))
        }
    }
}
