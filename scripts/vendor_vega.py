"""Vendor the Vega JavaScript bundle that vl-convert makes, so builds need not make it.

Usage: .venv/bin/python scripts/vendor_vega.py [--check]

vl-convert bundles Vega, Vega-Lite and their dependencies into one ES module in about 1.5 s
of CPU; every cold build (and every CI job without a cache) paid that for the same 900 kB.
This script writes that bundle, gzipped, to sitegen/_vendor/vega.js.gz with a small JSON
manifest naming the vl-convert version it came from. sitegen uses the vendored copy only
while the installed vl-convert has that exact version; with any other version it makes the
bundle as before (and caches it). Run it after upgrading vl-convert-python; --check exits 1
when the vendored copy is missing or differs from what the installed vl-convert makes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "sitegen" / "_vendor"


def make() -> tuple[bytes, dict[str, str]]:
    """Return the gzipped bundle and its manifest, from the installed vl-convert."""
    import vl_convert as vlc

    data = vlc.javascript_bundle().encode("utf-8")  # type: ignore[call-arg]
    manifest = {
        "vl_convert": importlib.metadata.version("vl-convert-python"),
        "vega": vlc.get_vega_version(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": str(len(data)),
    }
    # mtime=0 keeps the file byte-identical from run to run (a reproducible repository).
    return gzip.compress(data, compresslevel=9, mtime=0), manifest


def main() -> int:
    """Write (or with --check, verify) the vendored bundle."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    args = parser.parse_args()
    packed, manifest = make()
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    if args.check:
        ok = (VENDOR / "vega.json").is_file() and (VENDOR / "vega.json").read_text() == text
        print("vendored Vega bundle is current" if ok else "vendored Vega bundle is stale")
        return 0 if ok else 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    (VENDOR / "vega.js.gz").write_bytes(packed)
    (VENDOR / "vega.json").write_text(text)
    print(
        f"wrote {VENDOR / 'vega.js.gz'} ({len(packed):,} bytes) for vl-convert "
        f"{manifest['vl_convert']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
