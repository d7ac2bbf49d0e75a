// swift-tools-version: 6.1
import PackageDescription

// The root package, by path. SwiftPM names a path dependency after its folder, so derive it.
let rootIdentity = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "")

let package = Package(
    name: "swift-futures-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        .target(name: "CAllocationCounter"),
        .executableTarget(
            name: "futures-benchmarks",
            dependencies: [
                "CAllocationCounter",
                .product(name: "Futures", package: rootIdentity),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
