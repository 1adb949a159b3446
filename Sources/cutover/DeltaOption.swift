import ArgumentParser

/// `--no-delta` for `deploy` and `resume`.
struct DeltaOption: ParsableArguments {
    @Flag(name: .customLong("no-delta"),
          help: "Send every host the whole artifact, even one holding an earlier release (by default such a host gets only the changed files, and builds and verifies the release from its older one).")
    var noDelta = false
}
