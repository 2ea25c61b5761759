#!/usr/bin/env bash
# Regenerates Generated/ from hive_metastore_subset.thrift with Debian's thrift-compiler (apt-get install thrift-compiler).
# The generated code is committed; run this after changing the IDL and commit both.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v thrift >/dev/null || { echo "thrift not found: apt-get install -y thrift-compiler" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
thrift --gen netstd:net6,no_deepcopy -out "$out" "$here/hive_metastore_subset.thrift"
rm -rf "$here/Generated"
mkdir -p "$here/Generated"
find "$out" -name '*.cs' -exec cp {} "$here/Generated/" \;
echo "generated $(find "$here/Generated" -name '*.cs' | wc -l) files into $here/Generated ($(thrift --version))"
