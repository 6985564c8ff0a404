"""What the CLI prints: errors, warnings, each project's build line and a progress bar.

Output goes through rich consoles: colours only on a terminal and never with NO_COLOR; the
progress bar only on a terminal, on stderr, and gone at the end.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape as escape_markup

from sitegen.errors import MultipleErrors, SitegenError, SitegenWarning, UsageError, printable
from sitegen.pipeline import events as ev
from sitegen.pipeline.outcome import file_line

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from rich.progress import Progress

    from sitegen.check import CheckResult
    from sitegen.dev.kpilist import Listing
    from sitegen.dev.serve import ProjectServer
    from sitegen.model.periods import Period
    from sitegen.pipeline.outcome import BuildResult


def text(value: object) -> str:
    """Return value as text to print: control characters escaped, rich markup escaped."""
    return escape(str(value))


def escape(text: str) -> str:
    """Return text safe to print: rich markup escaped, terminal control characters shown."""
    return escape_markup(printable(text))


def console(stderr: bool = False) -> Console:
    """Return a console on stdout (or stderr)."""
    # Colours only on a terminal and never when NO_COLOR is set (https://no-color.org).
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(stderr=stderr, no_color=no_color, highlight=False, soft_wrap=True)


out = console()
err = console(stderr=True)


def fail(exc: SitegenError, *, debug: bool = False) -> int:
    """Print an error the way users read it; return the exit status (2: usage error)."""
    for e in exc.errors if isinstance(exc, MultipleErrors) else [exc]:
        err.print(f"[bold red]Error:[/] {text(str(e))}")
    if debug:
        err.print(text("".join(traceback.format_exception(exc))))
    return 2 if isinstance(exc, UsageError) else 1


def os_error(exc: OSError, *, debug: bool = False) -> int:
    """Print an OSError that escaped the library (a disk, a permission) as one line; return 1."""
    where = f"{exc.filename}: " if exc.filename is not None else ""
    err.print(f"[bold red]Error:[/] {text(where)}{text(exc.strerror or exc)}")
    if debug:
        err.print(text("".join(traceback.format_exception(exc))))
    return 1


def warn(warnings: list[SitegenWarning]) -> None:
    """Print warnings and notes on stderr."""
    for w in warnings:
        # A note (a dropped Total row) needs no fix and never fails --strict: say so.
        label = "[dim]Note:[/]" if w.code == "note" else "[yellow]Warning:[/]"
        err.print(f"{label} {text(str(w))}")


def done(t0: float, results: tuple[BuildResult, ...], where: Path) -> None:
    """Print the build's one-line summary."""
    sites, warnings = len(results), sum(len(r.warnings) for r in results)
    out.print(
        f"Done in {time.perf_counter() - t0:.1f}s: {sites} site{'s' if sites != 1 else ''}, "
        f"{sum(r.pages for r in results)} pages, {sum(r.charts for r in results)} charts, "
        f"{warnings} warning{'s' if warnings != 1 else ''} -> {text(str(where))}"
    )


class BuildDisplay:
    """Print each project's line as its build ends; a progress bar on stderr (terminals)."""

    def __init__(self, *, quiet: bool, verbose: bool, bar: bool) -> None:
        self.quiet, self.verbose, self.enabled = quiet, verbose, bar
        self.bar: Progress | None = None
        self.name = ""

    def __enter__(self) -> BuildDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _start(self, projects: int) -> None:
        # Imported here for start-up speed only: a build with nothing to do draws no bar.
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        # Transient: the bar disappears at the end, leaving the build's summary lines only.
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.projects = self.bar.add_task("projects", total=projects) if projects > 1 else None
        self.stage = self.bar.add_task("starting", total=None)
        self.bar.start()

    def event(self, event: ev.Event) -> None:
        """Show a build's progress event."""
        if isinstance(event, ev.ProjectBuilt):
            self._built(event)
        elif isinstance(event, ev.PortfolioWritten) and not self.quiet:
            out.print(f"[green]Portfolio[/] -> {text(str(event.path))}")
        elif isinstance(event, ev.WaitingForOutput) and not self.quiet:
            err.print(f"Waiting for another build to finish with {text(event.lock_file)} ...")
        elif isinstance(event, ev.BuildStarted) and self.enabled:
            self._start(event.projects)
        elif self.bar is None:
            return
        elif isinstance(event, ev.ProjectStarted):
            self.name = text(event.name)
            desc = f"{self.name}: reading"
            self.bar.update(self.stage, description=desc, completed=0, total=None)
        elif isinstance(event, ev.PagesMade):
            self.bar.update(self.stage, description=f"{self.name}: drawing charts")
        elif isinstance(event, ev.ChartsDrawn):
            self.bar.update(self.stage, completed=event.done, total=event.total)
        elif isinstance(event, ev.SiteWriting):
            self.bar.update(self.stage, description=f"{self.name}: writing")

    def _built(self, event: ev.ProjectBuilt) -> None:
        if self.bar is not None and self.projects is not None:
            self.bar.advance(self.projects)
        if self.quiet:
            return
        r = event.result
        warn(r.warnings)
        out.print(
            f"[green]Built[/] {text(r.name)} -> {text(str(r.out_dir))} "
            f"({r.pages} pages, {r.charts} charts, {len(r.warnings)} warnings"
            f"{'; unchanged' if event.fast_path else ''})"
        )
        # What each data file was read as: a wrong channel or platform shows at once.
        for entry in r.summary.get("files", []):
            out.print("  " + text(file_line(entry)))
        if self.verbose and not event.fast_path:
            out.print("  " + ", ".join(f"{k} {v:.2f}s" for k, v in r.timings.items()))


def print_json(doc: object) -> None:
    """Print JSON for scripts on stdout."""
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def created(directory: Path, locale: str, files: list[Path]) -> None:
    """Print the files of a new project and what to do next."""
    out.print(f"[green]Created[/] {text(str(directory))} ({locale}):")
    for f in files:
        out.print(f"  {text(f.relative_to(directory).as_posix())}")
    out.print(
        "Next: put the client's exports into data/, then run "
        f"'sitegen serve {text(str(directory))}' to see the report as you edit it."
    )


def checked(res: CheckResult, *, quiet: bool, verbose: bool, strict: bool) -> None:
    """Print one project's check: its summary, warnings, errors and verdict."""
    if not quiet:
        for line in check_text(res):
            out.print(text(line))
        if verbose and res.summary is not None and res.summary.kpis:
            out.print("  KPIs: " + text(", ".join(res.summary.kpis)))
    warn(res.warnings)
    for e in res.errors:
        err.print(f"[bold red]Error:[/] {text(str(e))}")
    if not quiet or not res.ok(strict):
        style = "green" if res.ok(strict) else "bold red"
        out.print(f"[{style}]{text(verdict(res, strict))}[/]")


def listing(lst: Listing) -> None:
    """Print the KPI listing as text tables."""
    # Imported here for start-up speed only, like every command's own modules.
    from sitegen.dev.kpilist import listing_text

    for line in listing_text(lst):
        out.print(escape(line))


def server_log(*, quiet: bool) -> Callable[[str, str], None]:
    """Return the dev server's log: errors always, the rest unless quiet."""

    def log(kind: str, message: str) -> None:
        if kind == "error":
            err.print(f"[bold red]{text(message)}[/]")
        elif not quiet:
            err.print(text(message), style="dim" if kind == "request" else None)

    return log


def serve(server: ProjectServer, project: Path, *, quiet: bool) -> None:
    """Run the dev server in the foreground until Ctrl-C or SIGTERM, saying where it serves."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # A service manager or a test stops the server with SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        if not quiet:
            err.print(f"Building {text(str(project))} ...")
        server.start()
        out.print(f"Serving {text(str(project))} at {server.url} (Ctrl-C to stop)")
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if not quiet:
        out.print("Stopped.")


def plural(n: int, word: str) -> str:
    """Return '1 file', '2 files'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# A text summary lists this many gaps per channel; JSON lists them all.
MAX_GAPS_SHOWN = 5
_GRAIN_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "total": "period totals"}


def check_text(res: CheckResult) -> list[str]:
    """Return the summary lines the terminal shows for one project (errors apart)."""
    title = res.name or res.path.name
    lines = [f"{title} ({res.path})"]
    s = res.summary
    if s is None:
        return lines
    span = f", {s.span}" if s.span else ""
    lines.append(
        f"  data: {plural(len(s.files), 'file')}, {plural(len(s.channels), 'channel')}{span}"
        + (f"; competitors: {', '.join(s.competitors)}" if s.competitors else "")
    )
    if s.read_as:
        lines.append("  files:")
    for entry in s.read_as:
        lines.append("    " + file_line(entry))
    for c in s.channels:
        lines.append(
            f"    {c.channel}: {_GRAIN_WORDS.get(c.grain, c.grain)} {c.span}, "
            f"{plural(len(c.metrics), 'metric')}: " + ", ".join(c.metrics)
        )
        if c.gaps:
            shown = ", ".join(_gap(g, c.grain) for g in c.gaps[:MAX_GAPS_SHOWN])
            more = len(c.gaps) - MAX_GAPS_SHOWN
            lines.append(f"      gaps: {shown}" + (f" and {more} more" if more > 0 else ""))
    for file, cols in s.unknown_columns.items():
        lines.append(f"  ignored columns in {file}: " + ", ".join(cols))
    if s.period is not None:
        lines.append(
            f"  report: {s.period}, {plural(len(s.kpis), 'KPI')}, {plural(s.goals, 'goal')}, "
            f"{plural(s.plans, 'plan')}, {plural(s.cases, 'case')}"
        )
    return lines


def _gap(p: Period, grain: str) -> str:
    if grain == "day":
        return str(p) if p.days > 1 else p.start.isoformat()
    return f"{p} (no {grain} rows)"


def verdict(res: CheckResult, strict: bool = False) -> str:
    """Return the one-line verdict for a project."""
    title = res.name or res.path.name
    e = len(res.errors)
    n = sum(w.code == "note" for w in res.warnings)
    w = len(res.warnings) - n
    state = "OK" if res.ok(strict) else "FAILED"
    notes = f", {plural(n, 'note')}" if n else ""
    strict_note = " (--strict: warnings fail)" if strict and not e and not res.ok(strict) else ""
    return f"{title}: {state}, {plural(e, 'error')}, {plural(w, 'warning')}{notes}{strict_note}"
