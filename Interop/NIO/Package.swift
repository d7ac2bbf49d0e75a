// swift-tools-version:6.0
import PackageDescription

// The root package, by path. SwiftPM names a path dependency after the folder it was cloned into,
// so derive that name (this file is at <root>/Interop/NIO/Package.swift).
let rootIdentity = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "")

/// Upcoming language features every target builds with, as in the root package.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-futures-nio",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "FuturesNIO", targets: ["FuturesNIO"])
    ],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .target(
            name: "FuturesNIO",
            dependencies: [
                .product(name: "Futures", package: rootIdentity),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuturesNIOTests",
            dependencies: [
                "FuturesNIO",
                .product(name: "Futures", package: rootIdentity),
                .product(name: "FuturesTesting", package: rootIdentity),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "example-nio",
            dependencies: [
                "FuturesNIO",
                .product(name: "Futures", package: rootIdentity),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Examples/nio",
            exclude: ["expected-output.txt"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
