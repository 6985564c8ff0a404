"""Build every example project under content/ and print (or compare) each site's tree hash.

Restructuring must not change what a user gets: run this before a refactor with
``--save FILE`` and after it with ``--compare FILE``; any changed file is listed.

    python scripts/site_hashes.py --save /tmp/before.json
    python scripts/site_hashes.py --compare /tmp/before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def file_hashes(root: Path) -> dict[str, str]:
    """Map every file under root (posix relative path) to its sha256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".sitegen")
    }


def tree_hash(files: dict[str, str]) -> str:
    """Hash a whole tree from its file hashes (names included)."""
    text = "".join(f"{name}\0{digest}\n" for name, digest in sorted(files.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def build_all(out: Path) -> dict[str, dict[str, str]]:
    """Build content/ into out with no cache and return each site's file hashes."""
    sitegen = Path(sys.executable).parent / "sitegen"
    subprocess.run(
        [str(sitegen), "build", "-q", "--no-cache", "-o", str(out)], cwd=ROOT, check=True
    )
    sites = {p.name: file_hashes(p) for p in sorted(out.iterdir()) if p.is_dir()}
    sites["(portfolio index)"] = {"index.html": file_hashes(out)["index.html"]}
    return sites


def main() -> int:
    """Build, then save or compare the per-site hashes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", type=Path)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sites = build_all(Path(tmp) / "out")
    for name, files in sites.items():
        print(f"{tree_hash(files)}  {name} ({len(files)} files)")
    if args.save:
        args.save.write_text(json.dumps(sites, indent=1, sort_keys=True))
    if args.compare:
        before = json.loads(args.compare.read_text())
        changed = [
            f"{site}/{name}"
            for site in sorted(set(before) | set(sites))
            for name in sorted(set(before.get(site, {})) | set(sites.get(site, {})))
            if before.get(site, {}).get(name) != sites.get(site, {}).get(name)
        ]
        for line in changed[:50]:
            print(f"changed: {line}")
        print(f"{len(changed)} files differ" if changed else "identical to the saved build")
        return 1 if changed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
