#!/usr/bin/env bash
# Test sitegen on the NEWEST versions pyproject.toml allows, ignoring the locks, so that an
# upgrade is a decision (refresh the locks with scripts/lock.sh) and not a surprise on a
# user's machine. Run by .github/workflows/newest.yml every Monday and by hand:
#   bash scripts/test_newest.sh
# Prints what differs from the lock, then runs the suite, ruff and mypy in a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${TMPDIR:-/tmp}/sitegen-newest
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade -e '.[dev]'
echo "== newest allowed versions that differ from requirements/dev.txt:"
"$venv/bin/pip" freeze --exclude-editable | tr 'A-Z_' 'a-z-' | sort > "$venv/freeze.txt"
grep -oE '^[a-z0-9._-]+==[^ ;]+' requirements/dev.txt | tr 'A-Z_' 'a-z-' | sort \
  | comm -13 - "$venv/freeze.txt" || true
echo "== tests"
"$venv/bin/python" -m pytest -n auto -q
"$venv/bin/ruff" check sitegen tests scripts bench
"$venv/bin/mypy"
