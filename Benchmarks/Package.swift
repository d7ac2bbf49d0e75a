// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The root package, by path. SwiftPM names a path dependency after its folder, so derive it.
let rootIdentity = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "")

/// Whether any source file of the root package's `Futures` module contains every one of `needles`.
///
/// Workloads that need API still being written on other branches (`combineFutures`,
/// `ThreadPoolExecutor` and `Future.async`) compile only once that API is on the branch being
/// built; until then the table says that the row was not built.
func rootSources(contain needles: [String]) -> Bool {
    let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
    let sources = root.appendingPathComponent("Sources/Futures")
    guard let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else {
        return false
    }
    var text = ""
    for case let file as URL in files where file.pathExtension == "swift" {
        text += (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }
    return needles.allSatisfy { text.contains($0) }
}

var defines: [SwiftSetting] = []
if rootSources(contain: ["func combineFutures"]) {
    defines.append(.define("FUTURES_HAS_COMBINE"))
}
if rootSources(contain: ["class ThreadPoolExecutor", "static func async"]) {
    defines.append(.define("FUTURES_HAS_THREAD_POOL"))
}

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
            ],
            swiftSettings: defines
        ),
    ],
    swiftLanguageModes: [.v6]
)
