#!/usr/bin/env bash
# Installs what the build needs besides the .NET SDK: gcc, for libShapingTorchSharp.so
# (build/DeferredScalarDisposal.targets). Does nothing when gcc is already there.
set -euo pipefail
command -v gcc >/dev/null && exit 0
echo "installing gcc (needed to build libShapingTorchSharp.so)..." >&2
if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq gcc libc6-dev >/dev/null
else sudo apt-get update -qq && sudo apt-get install -y -qq gcc libc6-dev >/dev/null; fi
