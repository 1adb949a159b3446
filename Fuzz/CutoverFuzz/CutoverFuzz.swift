import CFuzzerDriver
import Foundation
import Synchronization

/// `cutover-fuzz TARGET [libFuzzer flags] [corpus dirs]`: fuzzes one loader with libFuzzer.
@main
struct CutoverFuzz {
    static func main() {
        var arguments = CommandLine.arguments
        guard arguments.count > 1, let target = FuzzTarget(rawValue: arguments[1]) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("usage: cutover-fuzz TARGET [libFuzzer flags] [corpus...]\ntargets: \(names)\n".utf8))
            exit(2)
        }
        selected.withLock { $0 = target }
        arguments.remove(at: 1)
        // libFuzzer keeps pointers into argv for the whole run: the strings are never freed.
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var argc = CInt(arguments.count)
        let status = argv.withUnsafeMutableBufferPointer { buffer in
            var base = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &base, fuzzOneInput)
        }
        exit(status)
    }
}
