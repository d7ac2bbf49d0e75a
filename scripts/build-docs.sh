#!/usr/bin/env bash
# Builds the DocC catalogs of Futures and FuturesTesting exactly as CI does, with the toolchain's
# own docc and warnings as errors: .build/Futures.doccarchive and .build/FuturesTesting.doccarchive.
#
#   bash scripts/build-docs.sh                    # both archives
#   bash scripts/build-docs.sh preview Futures    # browse one at http://localhost:8080/documentation/futures
#
# One build of FuturesTesting (which builds Futures) writes both modules' symbol graphs into its own
# scratch folder, .build/docs, so they survive up-to-date builds. Each catalog is then converted with
# its own module's graphs only, so that its links resolve against that module and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

command=convert
modules=(Futures FuturesTesting)
if [ "${1:-}" = preview ]; then
    command=preview
    modules=("${2:-Futures}")
fi

scratch=.build/docs
graphs="$PWD/$scratch/symbol-graphs"
mkdir -p "$graphs"
swift build --scratch-path "$scratch" --target FuturesTesting \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs"

for module in "${modules[@]}"; do
    own="$scratch/symbol-graphs-$module"
    rm -rf "$own"
    mkdir -p "$own"
    find "$graphs" \( -name "$module.symbols.json" -o -name "$module@*.symbols.json" \) -exec cp {} "$own" \;
    if [ ! -f "$own/$module.symbols.json" ]; then
        echo "error: no symbol graph for $module in $graphs; delete $scratch and run again." >&2
        exit 1
    fi
    docc "$command" "Sources/$module/$module.docc" \
        --additional-symbol-graph-dir "$own" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.swift-futures.$module" \
        --output-path ".build/$module.doccarchive" --warnings-as-errors
done
