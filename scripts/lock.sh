#!/usr/bin/env bash
# Refresh the locks of the tested stack from pyproject.toml's ranges (newest allowed versions):
#   bash scripts/lock.sh            # newest allowed; then run the test command, commit if green
#   bash scripts/lock.sh --keep     # after editing pyproject.toml: keep every pin still allowed
#   bash scripts/lock.sh --check    # fail if the locks no longer match pyproject.toml
# requirements/run.txt: what `sitegen build` needs; requirements/dev.txt: that plus the dev extra.
# Both carry hashes (pip then refuses any file that is not the one tested) and the build backend.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tool=${TMPDIR:-/tmp}/sitegen-lock-tool-$UV_VERSION
[ -x "$tool/bin/uv" ] || { python3 -m venv "$tool" && "$tool/bin/pip" install -q "uv==$UV_VERSION"; }
uv=("$tool/bin/uv" pip compile --quiet --universal --python-version 3.11.5 --generate-hashes
    --no-header --annotation-style line)
if [ "${1:-}" = "--check" ]; then
  # Compile into copies of the locks: uv keeps the pins it finds there, so the copies change
  # only where pyproject.toml's ranges no longer admit a locked version (or add a package).
  tmp=$(mktemp -d)
  cp requirements/run.txt requirements/dev.txt "$tmp/"
  "${uv[@]}" pyproject.toml requirements/build.in -o "$tmp/run.txt"
  "${uv[@]}" pyproject.toml requirements/build.in --extra dev -c requirements/run.txt -o "$tmp/dev.txt"
  if diff -u requirements/run.txt "$tmp/run.txt" && diff -u requirements/dev.txt "$tmp/dev.txt"
  then echo "locks match pyproject.toml"
  else echo "the locks do not match pyproject.toml: run bash scripts/lock.sh"; exit 1
  fi
  exit
fi
upgrade=(--upgrade)
[ "${1:-}" = "--keep" ] && upgrade=()
"${uv[@]}" ${upgrade[@]+"${upgrade[@]}"} pyproject.toml requirements/build.in -o requirements/run.txt
# The dev lock is constrained by the runtime lock, so both install the same runtime versions.
"${uv[@]}" ${upgrade[@]+"${upgrade[@]}"} pyproject.toml requirements/build.in --extra dev \
  -c requirements/run.txt -o requirements/dev.txt
echo "locked: $(grep -c '==' requirements/run.txt) runtime, $(grep -c '==' requirements/dev.txt) dev packages"
