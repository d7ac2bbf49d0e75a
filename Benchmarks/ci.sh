#!/usr/bin/env bash
# Builds the benchmarks in release mode and checks the pinned allocation counts (no timing):
# exits non-zero if swift-futures allocates more per operation than Sources/futures-benchmarks/Check.swift
# allows. Run the full side-by-side table with the command in README.md.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product futures-benchmarks
.build/release/futures-benchmarks --check
