// swift-tools-version:6.0
import PackageDescription

/// Each folder of `Examples/` is an executable target `example-<name>` whose output CI diffs
/// against the folder's `expected-output.txt`.
let examples = ["pipeline", "fan-out", "traceback", "async-bridge", "testing", "retry"]

let package = Package(
    name: "swift-futures",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "Futures", targets: ["Futures"]),
        .library(name: "FuturesTesting", targets: ["FuturesTesting"]),
    ],
    targets: [
        .target(name: "Futures"),
        .target(name: "FuturesTesting", dependencies: ["Futures"]),
        .testTarget(name: "FuturesTests", dependencies: ["Futures", "FuturesTesting"]),
    ]
        + examples.map { name in
            .executableTarget(
                name: "example-\(name)",
                dependencies: ["Futures", "FuturesTesting"],
                path: "Examples/\(name)",
                exclude: ["expected-output.txt"]
            )
        },
    swiftLanguageModes: [.v6]
)
