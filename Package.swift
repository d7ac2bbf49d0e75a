// swift-tools-version:6.0
import PackageDescription

/// Each folder of `Examples/` is an executable target `example-<name>` whose output CI diffs
/// against the folder's `expected-output.txt`.
let examples = ["pipeline", "fan-out", "traceback", "async-bridge", "testing", "retry"]

/// Upcoming language features every target builds with.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-futures",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "Futures", targets: ["Futures"]),
        .library(name: "FuturesTesting", targets: ["FuturesTesting"]),
    ],
    targets: [
        .target(name: "Futures", swiftSettings: swiftSettings),
        .target(name: "FuturesTesting", dependencies: ["Futures"], swiftSettings: swiftSettings),
        .testTarget(name: "FuturesTests", dependencies: ["Futures", "FuturesTesting"], swiftSettings: swiftSettings),
    ]
        + examples.map { name in
            .executableTarget(
                name: "example-\(name)",
                dependencies: ["Futures", "FuturesTesting"],
                path: "Examples/\(name)",
                exclude: ["expected-output.txt"],
                swiftSettings: swiftSettings
            )
        },
    swiftLanguageModes: [.v6]
)
