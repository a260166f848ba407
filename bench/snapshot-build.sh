#!/usr/bin/env bash
# Sourced by the long reproduction scripts: builds `shaping` once and runs a snapshot of that build, so that the
# scripts keep running the code they started with while the worktree is rebuilt. The project's own assemblies and
# configuration are copied (a few MB); the large native libraries (libtorch, ~500 MB) are linked.
# Sets SHAPING_SNAPSHOT to the snapshot's shaping.dll.
snapshot_build() {
  local root="$1" into="$2"
  "$root/shaping" --help > /dev/null
  local out="$root/src/Host/bin/Release/net10.0/linux-x64"
  mkdir -p "$into"
  for f in "$out"/*; do
    case "$(basename "$f")" in
      shaping.*|ShapingCluster.*|*.json|*.conf) cp -r "$f" "$into/" ;;
      *) ln -s "$f" "$into/" ;;
    esac
  done
  SHAPING_SNAPSHOT="$into/shaping.dll"
}
