"""Write a site atomically: build it in a temporary folder beside the target, then swap.

A failed or killed build leaves the previous site as it was. On Linux the swap is one
``renameat2(RENAME_EXCHANGE)`` call, so readers never see a missing or mixed folder; elsewhere
it is two renames, and an interrupted swap is repaired at the next run (``recover``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from sitegen.errors import UsageError

TMP_TAG = ".sitegen-tmp-"
OLD_TAG = ".sitegen-old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2; return False when the OS cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc: int = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def recover(target: Path) -> None:
    """Repair what an interrupted build left beside target: restore or delete leftovers."""
    parent = target.parent
    if not parent.is_dir():
        return
    prefix_tmp = f".{target.name}{TMP_TAG}"
    prefix_old = f".{target.name}{OLD_TAG}"
    leftovers = sorted(parent.iterdir())
    olds = [p for p in leftovers if p.name.startswith(prefix_old)]
    if not target.exists() and olds:
        # Killed between the two renames of the fallback swap: put the old site back.
        olds[-1].rename(target)
        olds = olds[:-1]
    for p in leftovers:
        if p.name.startswith(prefix_tmp) or p in olds:
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def looks_like_site(path: Path) -> bool:
    """Return True when path is empty or was written by sitegen."""
    if not path.exists():
        return True
    if not path.is_dir():
        return False
    if not any(path.iterdir()):
        return True
    return (path / "data" / "kpis.json").is_file() or (path / ".sitegen-portfolio").is_file()


def check_target(target: Path, protected: list[Path]) -> None:
    """Refuse to replace a folder that holds a project, the cwd or a non-sitegen folder."""
    t = target.resolve()
    home = Path.home().resolve()
    for p in [*protected, Path.cwd(), home, Path(t.anchor)]:
        p = p.resolve()
        if t == p or p.is_relative_to(t):
            raise UsageError(
                f"refusing to write the site over {t}: it holds {p}",
                hint="choose an output folder of its own, e.g. -o output/site",
            )
    if not looks_like_site(t):
        raise UsageError(
            f"refusing to replace {t}: it is not empty and was not written by sitegen",
            hint="choose an empty or new folder, or delete it first",
        )


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    """Write files (site path -> bytes) under root; paths must stay inside root."""
    for rel, data in sorted(files.items()):
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not rel:
            raise ValueError(f"unsafe output path {rel!r}")
        dest = root.joinpath(*pure.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


def write_site(target: Path, files: Mapping[str, bytes]) -> None:
    """Write a whole site to target atomically (write aside, then swap)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{TMP_TAG}", dir=target.parent))
    try:
        write_tree(tmp, files)
        os.chmod(tmp, 0o755)  # noqa: S103 - mkdtemp makes 0700; a published site is public
        if target.exists():
            if _exchange(tmp, target):
                shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old site
                return
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}{OLD_TAG}", dir=target.parent))
            old.rmdir()
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_file_atomic(target: Path, data: bytes) -> None:
    """Write one file atomically (write aside, then os.replace)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}{TMP_TAG}", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(name, 0o644)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
