// swift-tools-version:6.0
import Foundation
import PackageDescription

/// One settings array for every target: Swift 6 mode plus the upcoming features the house style asks for.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Cutover",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cutover", targets: ["cutover"]),
        .library(name: "Rollout", targets: ["Rollout"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `run_on: local` smoke commands (LocalCommand): a process group of its own, awaited without a thread.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"]), .brew(["libssh2"])]
        ),
        .target(
            name: "HostKeys",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings
        ),
        // posix_spawn's closefrom action, which Swift's Glibc module does not show (see its header).
        .target(name: "CSpawn"),
        .target(
            name: "Transport",
            dependencies: [
                "CLibSSH2", "CSpawn", "HostKeys",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "Diagnostics",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        .target(
            name: "Fleet",
            dependencies: ["Diagnostics", "CSpawn", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "Release",
            dependencies: [
                "Diagnostics", "CZlib", "Analysis",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "Analysis",
            swiftSettings: settings
        ),
        // The system's OpenSSL (libssh2 already links it): TLS for https:// checks and KPI sources.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        .target(
            name: "Rollout",
            dependencies: [
                "Fleet", "Release", "Analysis", "Transport", "HostKeys", "Diagnostics", "COpenSSL",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: settings
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // The ledger knows nothing of the engine: LedgerRecording turns the engine's events into records.
        .target(
            name: "Ledger",
            dependencies: ["CSQLite", "CLibPQ", "Release", "Diagnostics"],
            swiftSettings: settings
        ),
        .target(
            name: "LedgerRecording",
            dependencies: ["Ledger", "Rollout", "Release", "Analysis", "Diagnostics"],
            swiftSettings: settings
        ),
        // Renderers know nothing of SSH: Rollout's events carry its own values, never Transport's.
        .target(
            name: "Console",
            dependencies: ["Rollout", "Release", "Analysis", "Diagnostics"],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "cutover",
            dependencies: [
                "Rollout", "Console", "Ledger", "LedgerRecording",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        // Scripts/leak-check: connect/exec/disconnect cycles in one process, memory and descriptors printed.
        .executableTarget(
            name: "cutover-leak-check",
            dependencies: ["Transport", "HostKeys"],
            path: "Benchmarks/LeakCheck",
            swiftSettings: settings
        ),
        // Scripts/bench-knownhosts: host-key verification CPU, per-host parse against the cached index.
        .executableTarget(
            name: "cutover-bench-sim",
            dependencies: ["Rollout", "Release"],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "cutover-bench-knownhosts",
            dependencies: ["HostKeys", .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/KnownHosts",
            swiftSettings: settings
        ),
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport",
            swiftSettings: settings
        ),
        .testTarget(name: "HostKeysTests", dependencies: ["HostKeys", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "HostKeys", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"], swiftSettings: settings),
        .testTarget(name: "ReleaseTests", dependencies: ["Release", "Analysis", "Diagnostics", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "Diagnostics", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "RolloutTests", dependencies: ["Rollout", "Fleet", "Transport", "Diagnostics", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["Snapshots"], swiftSettings: settings),
        .testTarget(name: "FaultTests", dependencies: ["TestSupport"], exclude: ["MATRIX.md", "APP-MATRIX.md"], swiftSettings: settings),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "LedgerRecording", "Rollout", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "Rollout", "Transport", "Analysis", "Release", "Diagnostics", "TestSupport"], swiftSettings: settings),
    ]
)

// The libFuzzer harness (Fuzz/, Scripts/fuzz) exists only in fuzzing builds: it links against
// libFuzzer's driver, which only `-sanitize=fuzzer` provides, so an ordinary build must not see it.
if ProcessInfo.processInfo.environment["CUTOVER_FUZZ"] == "1" {
    package.targets += [
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .executableTarget(
            name: "cutover-fuzz",
            dependencies: ["CFuzzerDriver", "Fleet", "Release", "HostKeys", "Diagnostics"],
            path: "Fuzz/CutoverFuzz",
            swiftSettings: settings
        ),
    ]
}
