// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-futures",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9)],
    products: [
        .library(name: "Futures", targets: ["Futures"]),
        .library(name: "FuturesTesting", targets: ["FuturesTesting"]),
    ],
    targets: [
        .target(name: "Futures"),
        .target(name: "FuturesTesting", dependencies: ["Futures"]),
        .testTarget(name: "FuturesTests", dependencies: ["Futures", "FuturesTesting"]),
        .executableTarget(
            name: "example-pipeline",
            dependencies: ["Futures", "FuturesTesting"],
            path: "Examples/pipeline",
            exclude: ["expected-output.txt"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
