#!/usr/bin/env bash
# Publishes the unitization executable ahead-of-time compiled (ReadyToRun) to artifacts/publish/unitization, so the
# CLI starts without JIT-compiling its hot paths: `artifacts/publish/unitization/unitization communities ...`.
# Needs the .NET runtime pack and Crossgen2 for linux-x64 from NuGet (restored like any package).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet publish "$here/infra/Unitization/Unitization.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$here/artifacts/publish/unitization" -nologo -v q -clp:ErrorsOnly
echo "published: $here/artifacts/publish/unitization/unitization"
