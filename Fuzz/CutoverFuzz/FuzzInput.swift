import Synchronization

/// The target chosen on the command line; set once before libFuzzer starts.
let selected = Mutex<FuzzTarget>(.inventory)

/// libFuzzer's callback: one input, any bytes. A crash, a trap or a hang is a finding.
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    selected.withLock { $0 }.run(bytes)
    return 0
}

/// The same callback under libFuzzer's conventional name, which its archive references.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzOneInput(start, count)
}
