"""What the cell parsers raise: a problem at one row of one column, located by the caller."""

from __future__ import annotations


class CellError(Exception):
    """A bad cell at row position `row` of the column being parsed."""

    def __init__(
        self,
        row: int,
        message: str,
        *,
        expected: str,
        found: str,
        hint: str | None = None,
        other_row: int | None = None,
    ) -> None:
        super().__init__(message)
        self.row = row
        self.message = message
        self.expected = expected
        self.found = found
        self.hint = hint
        # A second row that the problem involves (e.g. the row that settled the other way).
        self.other_row = other_row


def show(value: object, limit: int = 60) -> str:
    """Return a cell value quoted for a message, shortened when long."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)
