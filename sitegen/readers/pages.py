"""Read a project's Markdown pages (pages/*.md) as text, for the page stage.

The page code gets the text and the name to show in messages; it never opens a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.config.project import Project
from sitegen.errors import DataError


@dataclass(frozen=True)
class PageSource:
    """One Markdown page of the project: its file name, text and where it is, for messages."""

    name: str  # the file name, e.g. "about-us.md"
    text: str
    where: str  # the path as messages show it


def read_pages(project: Project) -> list[PageSource]:
    """Return the project's Markdown pages in their order on disk; raise on non-UTF-8 text."""
    out: list[PageSource] = []
    for path in project.pages:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(
                "the page is not UTF-8 text",
                file=project.display(path),
                expected="a Markdown file saved as UTF-8",
                found=f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}",
                hint="save the file as UTF-8 in the editor",
            ) from None
        out.append(PageSource(path.name, text, project.display(path)))
    return out
