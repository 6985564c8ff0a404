"""Write a site atomically: build it in a temporary folder beside the target, then swap.

A failed or killed build leaves the previous site as it was. On Linux the swap is one
``renameat2(RENAME_EXCHANGE)`` call, so readers never see a missing or mixed folder; elsewhere
it is two renames, and an interrupted swap is repaired at the next run (``recover``).

Every site carries a marker file (``.sitegen-site``; a folder of sites ``.sitegen-portfolio``):
sitegen replaces only a folder that is new, empty or marked (``check_target``), unless forced.
One build at a time writes an output: ``output_lock`` holds an flock on ``.<name>.sitegen-lock``
beside it (deleted when the build ends), so a build's clean-up can never remove another
build's temporary folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from sitegen.errors import SitegenError, UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, builds are not locked
    fcntl = None  # type: ignore[assignment]

TMP_TAG = ".sitegen-tmp-"
OLD_TAG = ".sitegen-old-"
LOCK_TAG = ".sitegen-lock"
# Every name the writer gives what it creates beside a site: watchers and hashes skip them.
WRITER_TAGS = (TMP_TAG, OLD_TAG, LOCK_TAG)
# The files that say "sitegen wrote this folder": in every site, and in a folder of sites.
SITE_MARKER = ".sitegen-site"
PORTFOLIO_MARKER = ".sitegen-portfolio"
MARKER_TEXT = b"Written by sitegen: each build replaces this folder as a whole.\n"
# A project's folders a build reads: an output inside one would be read back and nested.
INPUT_FOLDERS = ("data", "pages", "assets", "templates")
PROJECT_FILE = "sitegen.toml"
LOCK_TIMEOUT = 600.0
ENV_LOCK_TIMEOUT = "SITEGEN_LOCK_TIMEOUT"
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
    """Return True when path is new, empty, or carries a marker sitegen writes (a site, or a
    folder of sites); a folder holding a project (sitegen.toml) never does."""
    if not path.exists():
        return True
    if not path.is_dir() or path.is_symlink():
        return False
    if not any(path.iterdir()):
        return True
    if (path / PROJECT_FILE).exists():
        return False
    return any(_is_marker(path / name) for name in (SITE_MARKER, PORTFOLIO_MARKER))


def _is_marker(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def check_target(target: Path, projects: Sequence[Path], *, force: bool = False) -> None:
    """Refuse an output that would destroy or feed back into something sitegen did not write.

    Refused always: the output is, or holds, a project of the build, the current folder, the
    home folder or a file system root; it lies in a project's input folders (data/, pages/,
    assets/, templates/: the next build would read, and nest, the site); it is a file or
    another project. Refused unless force: a non-empty folder without sitegen's marker.
    """
    t = target.resolve()
    home = Path.home().resolve()
    for p in [*projects, Path.cwd(), home, Path(t.anchor)]:
        p = p.resolve()
        if t == p or p.is_relative_to(t):
            raise UsageError(
                f"refusing to write the site over {t}: it holds {p}",
                hint="choose an output folder of its own, e.g. -o output/site",
            )
    for root in projects:
        for name in INPUT_FOLDERS:
            folder = (root / name).resolve()
            if t.is_relative_to(folder):
                raise UsageError(
                    f"refusing to write the site into {t}: it is inside the project's "
                    f"input folder {name}/ ({folder}), so the next build would read the site",
                    hint="choose an output folder outside data/, pages/, assets/ and templates/",
                )
    if t.is_dir() and (t / PROJECT_FILE).exists():
        raise UsageError(
            f"refusing to replace {t}: it is a sitegen project (it has {PROJECT_FILE})",
            hint="choose an output folder of its own, e.g. -o output/site",
        )
    if t.exists() and not t.is_dir():
        raise UsageError(
            f"refusing to replace {t}: it is a file, not a folder",
            hint="choose an output folder, e.g. -o output/site",
        )
    if not force and not looks_like_site(t):
        raise UsageError(
            f"refusing to replace {t}: it is not empty and has no {SITE_MARKER} marker, "
            "so sitegen did not write it (a build replaces the whole folder)",
            hint="choose an empty or new folder; --force replaces it all the same "
            "(e.g. a site built by a sitegen older than the marker)",
        )


# Files that keep an otherwise empty folder in version control or come from a file manager:
# a folder of sites holding only these is empty (a build writes beside them, never over them).
PLACEHOLDERS = frozenset({".gitkeep", ".keep", ".gitignore", ".DS_Store"})


def _only_placeholders(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return all(e.name in PLACEHOLDERS and e.is_file(follow_symlinks=False) for e in entries)
    except OSError:
        return False


def check_root(root: Path, projects: Sequence[Path], *, force: bool = False) -> None:
    """Refuse a folder of sites (the portfolio's) that sitegen did not make, or in an input."""
    t = root.resolve()
    for project in projects:
        for name in INPUT_FOLDERS:
            if t.is_relative_to((project / name).resolve()):
                raise UsageError(
                    f"refusing to write the sites into {t}: it is inside the input folder "
                    f"{name}/ of the project {project}",
                    hint="choose an output folder outside data/, pages/, assets/ and templates/",
                )
    if t.exists() and not t.is_dir():
        raise UsageError(f"refusing to write the sites into {t}: it is a file, not a folder")
    if not force and not looks_like_site(t) and not _only_placeholders(t):
        raise UsageError(
            f"refusing to write the sites into {t}: it is not empty and has no "
            f"{PORTFOLIO_MARKER} marker, so sitegen did not make it",
            hint="choose an empty or new folder; --force writes into it all the same "
            "(its index.html and portfolio.json are replaced)",
        )


def mark_root(root: Path) -> None:
    """Create the folder of sites and its marker (before any site is built into it)."""
    marker = root / PORTFOLIO_MARKER
    if _is_marker(marker):
        return
    try:
        write_file_atomic(marker, MARKER_TEXT)
    except OSError as exc:
        raise write_error(root, "creating the folder's marker", exc) from None


# -- one writer at a time per output ------------------------------------------------------------


class LockTimeout(SitegenError):
    """Another build kept the output locked for longer than the wait allowed."""


_held: dict[tuple[str, int], int] = {}


def lock_path(target: Path) -> Path:
    """Return the lock file of an output folder: hidden, beside it, named after it."""
    target = target.resolve()
    return target.parent / f".{target.name}{LOCK_TAG}"


def lock_timeout() -> float:
    """Return the seconds a build waits for another one's lock ($SITEGEN_LOCK_TIMEOUT)."""
    try:
        return max(0.0, float(os.environ.get(ENV_LOCK_TIMEOUT, LOCK_TIMEOUT)))
    except ValueError:
        return LOCK_TIMEOUT


@contextmanager
def output_lock(target: Path, on_wait: Callable[[Path], None] | None = None) -> Iterator[None]:
    """Hold the output's exclusive lock (flock) for the block; wait for another build's.

    Re-entrant within a thread; other threads and processes wait, up to lock_timeout()
    seconds, then LockTimeout. The kernel drops the lock of a killed build. The holder
    deletes the lock file before it lets go; a waiter that then locks a deleted file
    notices (its inode is no longer the path's) and starts again on the new one.
    """
    path = lock_path(target)
    key = (str(path), threading.get_ident())
    if key in _held or fcntl is None:
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]
        return
    fd = _acquire(target, path, on_wait)
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)  # closing releases the lock


def _open_lock(target: Path, path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        return os.open(path, flags, 0o644)
    except OSError as exc:
        raise write_error(target, f"creating the lock file {path.name}", exc) from None


def _acquire(target: Path, path: Path, on_wait: Callable[[Path], None] | None) -> int:
    """Return an fd of the lock file, locked; wait (bounded) while another build holds it."""
    assert fcntl is not None
    deadline: float | None = None
    pause = 0.02
    while True:
        fd = _open_lock(target, path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if deadline is None:
                if on_wait is not None:
                    on_wait(path)
                deadline = time.monotonic() + lock_timeout()
            left = deadline - time.monotonic()
            if left <= 0:
                raise LockTimeout(
                    f"another build has been writing this output for {lock_timeout():g} s",
                    file=path,
                    hint=f"wait for it to end, or raise ${ENV_LOCK_TIMEOUT} (seconds)",
                ) from None
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.1)
            continue
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except OSError:
            same = False
        if same:
            return fd
        os.close(fd)  # locked a file its holder had just deleted: take the new one


# -- writing -------------------------------------------------------------------------------------


class WriteError(SitegenError):
    """The site could not be written (disk full, read-only or foreign folder...)."""


def write_error(target: Path, what: str, exc: OSError, tmp: Path | None = None) -> WriteError:
    reason = exc.strerror or str(exc)
    where: str | Path = target
    if isinstance(exc.filename, str):
        where = exc.filename
        if tmp is not None and Path(where).is_relative_to(tmp):
            # Name the file as it would have been in the site, not in the temporary folder.
            where = target / Path(where).relative_to(tmp)
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        hint = "the disk (or quota) is full: free some space and build again"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "the folder is read-only or not writable: choose another -o or fix its permissions"
    else:
        hint = "fix the problem and build again"
    return WriteError(
        f"cannot write the site: {what} failed: {reason}; the previous site is unchanged",
        file=where,
        hint=hint,
    )


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    """Write files (site path -> bytes) under root; paths must stay inside root."""
    for rel, data in sorted(files.items()):
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not rel:
            raise ValueError(f"unsafe output path {rel!r}")
        dest = root.joinpath(*pure.parts)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        except OSError as exc:
            if exc.filename is None:  # a failed write() names no file: say which one
                exc.filename = str(dest)
            raise


def write_site(
    target: Path, files: Mapping[str, bytes], on_wait: Callable[[Path], None] | None = None
) -> None:
    """Write a whole site to target atomically (write aside, then swap), with its marker.

    Under the output's lock: leftovers of killed builds are removed first (no other build
    can be writing), the temporary folder has a unique name, and only it is removed.
    An OSError (disk full, read-only folder) becomes a WriteError naming the path; the
    previous site is left as it was.
    """
    target = target.resolve()
    with output_lock(target, on_wait):
        step = "creating the output's parent folder"
        tmp: Path | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            step = "removing what an interrupted build left"
            recover(target)
            step = "creating the temporary folder"
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{TMP_TAG}", dir=target.parent))
            step = "writing the files"
            write_tree(tmp, {**files, SITE_MARKER: MARKER_TEXT})
            os.chmod(tmp, 0o755)  # noqa: S103 - mkdtemp makes 0700; a published site is public
            step = "replacing the previous site"
            _swap(tmp, target)
        except OSError as exc:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            raise write_error(target, step, exc, tmp) from None
        except BaseException:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            raise


def _swap(tmp: Path, target: Path) -> None:
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
