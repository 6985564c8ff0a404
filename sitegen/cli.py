"""The command line: a thin typer layer over the library.

Only this module prints and exits. Library errors (``SitegenError``) become one message on
stderr and exit status 1 (2 for usage errors); ``--debug`` shows the traceback for bug reports.
"""

from __future__ import annotations

import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from sitegen import __version__
from sitegen.errors import MultipleErrors, SitegenError, SitegenWarning, UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from rich.progress import Progress

    from sitegen.build import BuildResult

app = typer.Typer(
    name="sitegen",
    help="Build static KPI report sites from marketing and social-media exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class State:
    """Global options shared by every command."""

    debug = False
    quiet = False
    verbose = False


def _console(stderr: bool = False) -> Console:
    # Colours only on a terminal and never when NO_COLOR is set (https://no-color.org).
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(stderr=stderr, no_color=no_color, highlight=False, soft_wrap=True)


out = _console()
err = _console(stderr=True)


def _fail(exc: SitegenError) -> typer.Exit:
    """Print an error the way users read it and return the exit to raise."""
    errors = exc.errors if isinstance(exc, MultipleErrors) else [exc]
    for e in errors:
        err.print(f"[bold red]Error:[/] {_escape(str(e))}")
    if State.debug:
        import traceback

        err.print(_escape("".join(traceback.format_exception(exc))))
    return typer.Exit(code=2 if isinstance(exc, UsageError) else 1)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _warn(warnings: list[SitegenWarning]) -> None:
    for w in warnings:
        # A note (a dropped Total row) needs no fix and never fails --strict: say so.
        label = "[dim]Note:[/]" if w.code == "note" else "[yellow]Warning:[/]"
        err.print(f"{label} {_escape(str(w))}")


def _version(value: bool) -> None:
    if value:
        out.print(f"sitegen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (for bug reports).")
    ] = False,
) -> None:
    """Build static KPI report sites from marketing and social-media exports."""
    State.debug = debug


@app.command()
def build(
    projects: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Project folders (or folders of projects). Default: every project under content/.",
            show_default=False,
            metavar="PROJECT",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Output folder. With one project: the site itself; else: the folder of sites.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print errors only.")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Print stage timings.")] = False,
    jobs: Annotated[
        int,
        typer.Option("-j", "--jobs", help="Processes for projects and charts (0: one per CPU)."),
    ] = 1,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Build only the K-th of N shards of the projects (one per CI job).",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither use nor fill the build cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help="Build cache folder. Default: .sitegen-cache/ next to the output folder.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Build report sites into output/<slug>/ (and a portfolio index for several)."""
    t0 = time.perf_counter()
    if not no_cache and shard is None:
        # Answer an unchanged project before the pipeline (polars, altair, Jinja) is imported.
        from sitegen.parallel import unchanged_build

        hit = unchanged_build(projects, output, strict=strict, cache_dir=cache_dir)
        if hit is not None:
            if not quiet:
                _warn(hit.warnings)
                out.print(
                    f"[green]Built[/] {_escape(hit.name)} -> {_escape(str(hit.out_dir))} "
                    f"({hit.pages} pages, {hit.charts} charts, {len(hit.warnings)} warnings; "
                    "unchanged)"
                )
                _done(t0, 1, hit.pages, hit.charts, len(hit.warnings), hit.out_dir)
            return
    from sitegen.build import (
        default_projects,
        expand_projects,
        portfolio_entry,
        write_portfolio,
    )
    from sitegen.cache import Cache, default_dir
    from sitegen.parallel import Task, build_projects, parse_shard, select_shard

    try:
        dirs = expand_projects(list(projects)) if projects else default_projects(Path("content"))
        several = len(dirs) > 1 or (
            projects is not None and any(not (p / "sitegen.toml").is_file() for p in projects)
        )
        out_root = output if (output is not None and several) else Path("output")
        if shard is not None:
            dirs = select_shard(dirs, *parse_shard(shard))
        single = output is not None and not several
        tasks = [
            Task(d, out_dir=output, strict=strict)
            if single
            else Task(d, out_root=out_root, strict=strict)
            for d in dirs
        ]
        cache = None
        if not no_cache:
            cache = Cache(cache_dir or default_dir(output if single and output else out_root))
        results: list[BuildResult] = []
        slugs: dict[str, Path] = {}
        display = _BuildProgress(len(dirs), enabled=not quiet and err.is_terminal)
        with display:
            builds = build_projects(tasks, jobs=jobs, cache=cache, progress=display.event)
            built = zip(dirs, builds, strict=True)
            results.extend(_report_builds(built, slugs, display, quiet, verbose))
        if several and shard is None:
            # A shard holds only some clients; the index is written by an unsharded build.
            write_portfolio(out_root, [portfolio_entry(r, out_root) for r in results])
            if not quiet:
                out.print(f"[green]Portfolio[/] -> {_escape(str(out_root / 'index.html'))}")
    except SitegenError as exc:
        raise _fail(exc) from None
    if not quiet:
        where = results[0].out_dir if len(results) == 1 and not several else out_root
        _done(
            t0,
            len(results),
            sum(r.pages for r in results),
            sum(r.charts for r in results),
            sum(len(r.warnings) for r in results),
            where,
        )


def _report_builds(
    built: Iterable[tuple[Path, BuildResult]],
    slugs: dict[str, Path],
    display: _BuildProgress,
    quiet: bool,
    verbose: bool,
) -> Iterator[BuildResult]:
    """Print each project's line as its build ends; refuse two projects with one slug."""
    for d, result in built:
        if result.slug in slugs:
            raise UsageError(
                f"two projects have the slug {result.slug!r}: {slugs[result.slug]} and {d}",
                hint="set a distinct [project] slug in one of their sitegen.toml files",
            )
        slugs[result.slug] = d
        display.project_done()
        if not quiet:
            _warn(result.warnings)
            line = (
                f"[green]Built[/] {_escape(result.name)} -> {_escape(str(result.out_dir))} "
                f"({result.pages} pages, {result.charts} charts, "
                f"{len(result.warnings)} warnings)"
            )
            out.print(line)
            if verbose:
                stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
                out.print(f"  {stages}")
        yield result


def _done(t0: float, sites: int, pages: int, charts: int, warnings: int, where: Path) -> None:
    """Print the build's one-line summary."""
    out.print(
        f"Done in {time.perf_counter() - t0:.1f}s: {sites} site{'s' if sites != 1 else ''}, "
        f"{pages} pages, {charts} charts, {warnings} warning{'s' if warnings != 1 else ''} "
        f"-> {_escape(str(where))}"
    )


class _BuildProgress:
    """A progress display on stderr (terminals only): the projects, and the current charts."""

    def __init__(self, projects: int, *, enabled: bool) -> None:
        self.bar: Progress | None = None
        self.name = ""
        if not enabled:
            return
        # Imported here: a build with nothing to do (or no terminal) never draws a bar.
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

    def __enter__(self) -> _BuildProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def event(self, stage: str, detail: str) -> None:
        """Show a build_project progress event (stage, detail)."""
        if self.bar is None:
            return
        if stage == "load":
            self.name = detail
            self.bar.update(self.stage, description=f"{detail}: reading", completed=0, total=None)
        elif stage == "pages":
            self.bar.update(self.stage, description=f"{self.name}: drawing charts")
        elif stage == "chart":
            done, _, total = detail.partition("/")
            self.bar.update(self.stage, completed=int(done), total=int(total))
        elif stage == "write":
            self.bar.update(self.stage, description=f"{self.name}: writing")

    def project_done(self) -> None:
        """Count one more project built."""
        if self.bar is not None and self.projects is not None:
            self.bar.advance(self.projects)


class Format(StrEnum):
    """Output formats of check and kpis."""

    text = "text"
    json = "json"


class Locale(StrEnum):
    """The locales a new project can start in."""

    en = "en"
    ru = "ru"
    lv = "lv"


class CI(StrEnum):
    """The CI services `sitegen new --ci` writes a workflow for."""

    github = "github"
    gitlab = "gitlab"


@app.command()
def new(
    directory: Annotated[
        Path,
        typer.Argument(
            help="The new project's folder (new or empty).", show_default=False, metavar="DIR"
        ),
    ],
    locale: Annotated[
        Locale, typer.Option("--locale", help="Language of the report and the sample data.")
    ] = Locale.en,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="The client's name. Default: from the folder's name.", show_default=False
        ),
    ] = None,
    ci: Annotated[
        CI | None,
        typer.Option(
            "--ci",
            help="Also write a CI workflow that checks, builds and publishes the site.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a client project that builds at once (settings, goals, sample data)."""
    from sitegen.scaffold import create_project

    try:
        files = create_project(
            directory, locale=locale.value, name=name, ci=ci.value if ci else None
        )
    except SitegenError as exc:
        raise _fail(exc) from None
    out.print(f"[green]Created[/] {_escape(str(directory))} ({locale.value}):")
    for f in files:
        out.print(f"  {_escape(f.relative_to(directory).as_posix())}")
    out.print(
        "Next: put the client's exports into data/, then run "
        f"'sitegen serve {_escape(str(directory))}' to see the report as you edit it."
    )


@app.command()
def check(
    projects: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Project folders (or folders of projects). Default: every project under content/.",
            show_default=False,
            metavar="PROJECT",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fmt: Annotated[
        Format, typer.Option("--format", help="text for people, json for scripts.")
    ] = Format.text,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Print errors and warnings only.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Also list the KPIs each project gives.")
    ] = False,
) -> None:
    """Validate projects as a build would, writing nothing; summarise their data."""
    from sitegen.build import default_projects, expand_projects
    from sitegen.check import check_project, check_text, verdict

    try:
        dirs = expand_projects(list(projects)) if projects else default_projects(Path("content"))
    except SitegenError as exc:
        raise _fail(exc) from None
    results = []
    for d in dirs:
        res = check_project(d)
        results.append(res)
        if fmt is Format.json:
            continue
        if not quiet:
            for line in check_text(res):
                out.print(_escape(line))
            if verbose and res.summary is not None and res.summary.kpis:
                out.print("  KPIs: " + ", ".join(res.summary.kpis))
        _warn(res.warnings)
        for e in res.errors:
            err.print(f"[bold red]Error:[/] {_escape(str(e))}")
        if not quiet or not res.ok(strict):
            style = "green" if res.ok(strict) else "bold red"
            out.print(f"[{style}]{_escape(verdict(res, strict))}[/]")
    ok = all(r.ok(strict) for r in results)
    if fmt is Format.json:
        doc = {"ok": ok, "strict": strict, "projects": [r.to_json(strict) for r in results]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif len(results) > 1 and not quiet:
        failed = sum(not r.ok(strict) for r in results)
        out.print(f"Checked {len(results)} projects: {failed} failed.")
    if not ok:
        raise typer.Exit(code=1)


@app.command()
def serve(
    project: Annotated[
        Path,
        typer.Argument(
            help="The project folder.", show_default="the current folder", metavar="PROJECT"
        ),
    ] = Path("."),
    port: Annotated[
        int | None,
        typer.Option(
            "-p",
            "--port",
            help="Port on 127.0.0.1. Default: 8000, or any free port when 8000 is taken; "
            "0: any free port.",
            show_default=False,
            min=0,
            max=65535,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Build into this folder. Default: a temporary folder.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Print the address and errors only.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Also print every HTTP request.")
    ] = False,
) -> None:
    """Serve a project locally; rebuild and reload the browser on every change."""
    import signal

    from sitegen.serve import ProjectServer

    def log(kind: str, text: str) -> None:
        if kind == "error":
            err.print(f"[bold red]{_escape(text)}[/]")
        elif not quiet:
            err.print(_escape(text), style="dim" if kind == "request" else None)

    try:
        server = ProjectServer(
            project, output=output, port=port, strict=strict, log=log, log_requests=verbose
        )
    except SitegenError as exc:
        raise _fail(exc) from None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # A service manager or a test stops the server with SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        if not quiet:
            err.print(f"Building {_escape(str(project))} ...")
        server.start()
        out.print(f"Serving {_escape(str(project))} at {server.url} (Ctrl-C to stop)")
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if not quiet:
        out.print("Stopped.")


@app.command()
def kpis(
    project: Annotated[
        Path | None,
        typer.Argument(
            help="A project: also show which KPIs its data can give, and why not the others.",
            show_default=False,
            metavar="PROJECT",
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="text for people, json for scripts.")
    ] = Format.text,
) -> None:
    """List the KPIs and metrics; with a project, the KPIs its data can give."""
    from sitegen.kpilist import listing, listing_text, project_listing

    try:
        lst = project_listing(project) if project is not None else listing()
    except SitegenError as exc:
        raise _fail(exc) from None
    if fmt is Format.json:
        sys.stdout.write(json.dumps(lst.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    for line in listing_text(lst):
        out.print(_escape(line))


def main() -> None:
    """Run the CLI (console script entry point)."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)


if __name__ == "__main__":
    main()
