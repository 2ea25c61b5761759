#!/usr/bin/env bash
# Re-fetches the pinned uPlot release from npm and copies what the dashboard embeds into wwwroot/vendor/uplot/:
# the minified browser build, its stylesheet and its license. The page loads them from the assembly at run time
# (no CDN: the hosts have no internet). To upgrade, change VERSION, run this script, and run the dashboard browser test.
set -euo pipefail
VERSION=1.6.32
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="$here/wwwroot/vendor/uplot"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack "uplot@$VERSION" --silent >/dev/null && tar xzf "uplot-$VERSION.tgz")
mkdir -p "$target"
cp "$scratch/package/dist/uPlot.iife.min.js" "$scratch/package/dist/uPlot.min.css" "$target/"
cp "$scratch/package/LICENSE" "$target/LICENSE"
echo "$VERSION" > "$target/VERSION"
echo "uPlot $VERSION copied to $target"
