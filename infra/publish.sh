#!/usr/bin/env bash
# Publishes the command line ahead of time compiled, so it starts without JIT-compiling its hot paths:
# - artifacts/publish/unitization/unitization: the whole executable, ReadyToRun (needs the .NET runtime installed);
# - artifacts/publish/unitization-communities/unitization-communities: the communities verb alone, Native AOT (one
#   self-contained file; `unitization-communities --edges E --out O` = `unitization communities --edges E --out O`).
#   Native AOT links with clang and zlib (Debian: apt-get install -y clang zlib1g-dev).
# The .NET runtime pack, Crossgen2 and the ILCompiler for linux-x64 come from NuGet (restored like any package).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet publish "$here/infra/Unitization/Unitization.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$here/artifacts/publish/unitization" -nologo -v q -clp:ErrorsOnly
echo "published: $here/artifacts/publish/unitization/unitization"
if ! command -v clang > /dev/null; then
  echo "not published: unitization-communities (Native AOT needs clang and zlib1g-dev: apt-get install -y clang zlib1g-dev)" >&2
  exit 1
fi
dotnet publish "$here/infra/Unitization.Communities/Unitization.Communities.csproj" -c Release -r linux-x64 \
  -o "$here/artifacts/publish/unitization-communities" -nologo -v q -clp:ErrorsOnly
echo "published: $here/artifacts/publish/unitization-communities/unitization-communities"
