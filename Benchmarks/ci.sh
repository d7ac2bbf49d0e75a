#!/usr/bin/env bash
# Builds the benchmarks in release mode and checks the pinned allocation counts (no timing):
# exits non-zero if swift-futures allocates more per operation than Sources/futures-benchmarks/Check.swift
# allows. Run the full side-by-side table with the command in README.md.
set -euo pipefail
cd "$(dirname "$0")"
# No manifest cache: Package.swift enables the W2 and Future.async workloads once their API is in
# ../Sources, which a cached manifest would not notice.
swift build -c release --manifest-cache none --product futures-benchmarks
.build/release/futures-benchmarks --check
