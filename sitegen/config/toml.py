"""Read a TOML settings file; a syntax error names the file, line, column and the line's text."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from sitegen.errors import ConfigError, shown

MAX_TOML_BYTES = 5 * 1024 * 1024  # a settings file is a few KB; refuse absurd ones early

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def line_text(text: str, line: int | None) -> str | None:
    """Return the stripped text of a 1-based line of text (escaped, cut to 80), or None."""
    if line is None:
        return None
    lines = text.splitlines()
    return shown(lines[line - 1].strip()) if 0 < line <= len(lines) else None


def _check_inside(path: Path, display: str) -> None:
    """Refuse a settings file that is a link to a file outside its project folder."""
    try:
        inside = path.resolve().is_relative_to(path.parent.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        raise ConfigError(
            "the file is a link to a file outside the project",
            file=display,
            expected="a settings file inside the project folder",
            found="a symbolic link leading out of it",
            hint="copy the file into the project instead of linking to it",
        )


def read_toml(path: Path, display: str) -> dict[str, Any]:
    """Parse a TOML file; raise ConfigError with the file, line and column on a syntax error."""
    _check_inside(path, display)
    try:
        size = path.stat().st_size
        if size > MAX_TOML_BYTES:
            raise ConfigError(
                f"the file is too large ({size} bytes) to be a settings file",
                file=display,
                expected=f"at most {MAX_TOML_BYTES} bytes",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror}", file=display) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            "the file is not valid UTF-8", file=display, line=line, hint="save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        pos_line = int(m.group(1)) if m else None
        col = int(m.group(2)) if m else None
        raise ConfigError(
            f"TOML syntax error: {_TOML_POS.sub('', msg).strip()}",
            file=display,
            line=pos_line,
            column=col,
            found=line_text(text, pos_line),
            hint="check quotes, '=' signs and brackets on this line (https://toml.io)",
        ) from None
    except RecursionError:
        raise ConfigError("the TOML is nested too deeply", file=display) from None
