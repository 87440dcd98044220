#!/usr/bin/env bash
# build.sh compiles contracts/*.sol with solc-js and regenerates abi/<pkg>/:
# <Name>.abi.json, <Name>.bin, <Name>.bin-runtime and the abigen v2 binding
# <pkg>.go. artifacts.go in each package is hand-written and left alone.
#
# Run it through `make contracts`, which installs the pinned solc-js and sets
# SOLCJS to its solc.js. Needs node and go; the output is deterministic, so a
# second run leaves the tree unchanged.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

: "${SOLCJS:?set SOLCJS to the solc.js of the solc npm package (make contracts does)}"
[[ -f "$SOLCJS" ]] || { echo "build.sh: $SOLCJS not found: run make solc" >&2; exit 1; }
command -v node >/dev/null || { echo "build.sh: node not found" >&2; exit 1; }

targets="$(node contracts/build.js "$SOLCJS")"

while read -r name pkg; do
	dir="abi/$pkg"
	go tool abigen --v2 \
		--abi "$dir/$name.abi.json" \
		--bin "$dir/$name.bin" \
		--pkg "$pkg" \
		--type "$name" \
		--out "$dir/$pkg.go"
	echo "abigen: $dir/$pkg.go"
done <<<"$targets"
