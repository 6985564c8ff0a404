"""The command line: a thin typer layer over the library (``sitegen.api``).

Only this module exits; it prints through ``sitegen.terminal``. Library errors
(``SitegenError``) become one message on stderr and exit status 1 (2 for usage errors);
``--debug`` shows the traceback for bug reports.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sitegen import __version__, api, terminal
from sitegen.errors import SitegenError
from sitegen.terminal import BuildDisplay, done, err, out

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


def _version(value: bool) -> None:
    if value:
        out.print(f"sitegen {__version__}")
        raise typer.Exit()


def _flag(*names: str, help: str) -> Any:
    return typer.Option(*names, help=help)


def _opt(*names: str, help: str) -> Any:
    return typer.Option(*names, help=help, show_default=False)


Projects = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Project folders (or folders of projects). Default: every project under content/.",
        show_default=False,
        metavar="PROJECT",
    ),
]


class Format(StrEnum):
    """Output formats of check and kpis."""

    text = "text"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", help="text for people, json for scripts.")]


FORCE_HELP = "Replace a non-empty output folder without a .sitegen-site marker (never a project)."

# The locales a new project can start in; the CI services `sitegen new --ci` writes for.
Locale = StrEnum("Locale", {"en": "en", "ru": "ru", "lv": "lv"})
CI = StrEnum("CI", {"github": "github", "gitlab": "gitlab"})


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[bool, _flag("--debug", help="Show tracebacks (for bug reports).")] = False,
) -> None:
    """Build static KPI report sites from marketing and social-media exports."""
    State.debug = debug


@contextmanager
def _errors() -> Iterator[None]:
    """Print a library error and exit with its status (1, or 2 for a usage error)."""
    try:
        yield
    except SitegenError as exc:
        raise typer.Exit(code=terminal.fail(exc, debug=State.debug)) from None
    except OSError as exc:
        # A disk or permission problem the library did not foresee: a message, not a traceback.
        raise typer.Exit(code=terminal.os_error(exc, debug=State.debug)) from None


@app.command()
def build(
    projects: Projects = None,
    output: Annotated[
        Path | None,
        _opt(
            "-o",
            "--output",
            help="Output folder. With one project: the site itself; else: the folder of sites.",
        ),
    ] = None,
    strict: Annotated[bool, _flag("--strict", help="Treat warnings as errors.")] = False,
    quiet: Annotated[bool, _flag("-q", "--quiet", help="Print errors only.")] = False,
    verbose: Annotated[bool, _flag("-v", "--verbose", help="Print stage timings.")] = False,
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
        bool, _flag("--no-cache", help="Neither use nor fill the build cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        _opt(
            "--cache-dir",
            help="Build cache folder. Default: .sitegen-cache/ next to the output folder.",
        ),
    ] = None,
    force: Annotated[bool, _flag("--force", help=FORCE_HELP)] = False,
    pdf: Annotated[
        bool,
        _flag("--pdf", help="Also write report.pdf (the whole report for print) into each site."),
    ] = False,
) -> None:
    """Build report sites into output/<slug>/ (and a portfolio index for several)."""
    t0 = time.perf_counter()
    display = BuildDisplay(quiet=quiet, verbose=verbose, bar=not quiet and err.is_terminal)
    with _errors(), display:
        options = api.BuildOptions(
            output=output,
            strict=strict,
            jobs=jobs,
            shard=api.Shard.parse(shard) if shard is not None else None,
            cache=not no_cache,
            cache_dir=cache_dir,
            force=force,
            pdf=pdf,
        )
        built = api.build(projects, options, display.event)
    if not quiet:
        done(t0, built.results, built.where)


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
        _opt("--name", help="The client's name. Default: from the folder's name."),
    ] = None,
    ci: Annotated[
        CI | None,
        _opt("--ci", help="Also write a CI workflow that checks, builds and publishes the site."),
    ] = None,
) -> None:
    """Create a client project that builds at once (settings, goals, sample data)."""
    with _errors():
        files = api.new(directory, locale=locale.value, name=name, ci=ci.value if ci else None)
    terminal.created(directory, locale.value, files)


@app.command()
def check(
    projects: Projects = None,
    strict: Annotated[bool, _flag("--strict", help="Fail on warnings too.")] = False,
    fmt: FormatOpt = Format.text,
    quiet: Annotated[bool, _flag("-q", "--quiet", help="Print errors and warnings only.")] = False,
    verbose: Annotated[
        bool, _flag("-v", "--verbose", help="Also list the KPIs each project gives.")
    ] = False,
) -> None:
    """Validate projects as a build would, writing nothing; summarise their data."""
    with _errors():
        dirs = api.projects(projects)
    results = []
    for d in dirs:
        results.append(api.check(d))
        if fmt is Format.text:
            terminal.checked(results[-1], quiet=quiet, verbose=verbose, strict=strict)
    ok = all(r.ok(strict) for r in results)
    if fmt is Format.json:
        doc = {"ok": ok, "strict": strict, "projects": [r.to_json(strict) for r in results]}
        terminal.print_json(doc)
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
        _opt("-o", "--output", help="Build into this folder. Default: a temporary folder."),
    ] = None,
    strict: Annotated[bool, _flag("--strict", help="Treat warnings as errors.")] = False,
    quiet: Annotated[
        bool, _flag("-q", "--quiet", help="Print the address and errors only.")
    ] = False,
    verbose: Annotated[
        bool, _flag("-v", "--verbose", help="Also print every HTTP request.")
    ] = False,
    force: Annotated[bool, _flag("--force", help=FORCE_HELP)] = False,
) -> None:
    """Serve a project locally; rebuild and reload the browser on every change."""
    log = terminal.server_log(quiet=quiet)
    with _errors():
        server = api.server(
            project,
            output=output,
            port=port,
            strict=strict,
            log=log,
            log_requests=verbose,
            force=force,
        )

    terminal.serve(server, project, quiet=quiet)


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
    fmt: FormatOpt = Format.text,
) -> None:
    """List the KPIs and metrics; with a project, the KPIs its data can give."""
    with _errors():
        lst = api.kpis(project)
    if fmt is Format.json:
        terminal.print_json(lst.to_json())
        return
    terminal.listing(lst)


def main() -> None:
    """Run the CLI (console script entry point)."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)


if __name__ == "__main__":
    main()
