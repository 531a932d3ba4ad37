"""The command line: parse arguments, call one function, turn errors into exit codes."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import functools
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from newsgen import __version__
from newsgen.commands.summary import group_problems, left_out, plural, print_problems
from newsgen.commands.terminal import paint
from newsgen.config import SiteConfig, load_config, with_base_url
from newsgen.errors import HOST_ERRNOS, ContentError, HostError, NewsgenError, host_error
from newsgen.incremental.uptodate import last_build
from newsgen.parallel import default_jobs
from newsgen.progress import ProgressPrinter
from newsgen.report import BuildReport, cpu_seconds

EXIT_OK, EXIT_FAILED, EXIT_REJECTED, EXIT_HOST = 0, 1, 2, 3

BUILD_EPILOG = """\
examples:
  newsgen build                            build content/ into _site/ with site.yaml
  newsgen build --output public --strict   treat every warning as a rejection
  newsgen build --report report.json       write what happened to every file as JSON
  newsgen build --drafts --output preview  a preview with the drafts, marked as drafts
  newsgen build --base-url https://staging.example.org/ --output staging   a staging deploy

Problems are printed by kind, each with its count and first 3 files (--verbose: all of them).
Non-articles, duplicates and drafts are left out as expected and counted, never errors.
exit status: 0 the site was built and every file read; 2 the site was built but some files
could not be read or parsed (with --strict: or had warnings); 1 nothing was built (bad
configuration or template); 3 the machine stopped the build (disk full, permission denied,
read-only disk)."""


class _Version(argparse.Action):
    """argparse's version action, asked only when used: knowing whether modules are compiled imports them."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from newsgen.cleaning import cleaner  # one of the modules a wheel carries compiled (hatch_build.py)

        kind = "pure Python" if cleaner.__file__.endswith(".py") else "compiled with mypyc"
        print(f"newsgen {__version__} ({kind})")
        parser.exit()


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen", description="Turn folders of scraped news articles into a static archive site."
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version, compiled or pure Python")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_build_command(commands)
    add_check_command(commands)
    add_serve_command(commands)
    add_init_command(commands)
    add_new_command(commands)
    add_import_command(commands)
    add_explain_command(commands)
    add_clean_command(commands)
    add_export_command(commands)
    return parser


def add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    run: Callable[[argparse.Namespace], int],
    summary: str,
    epilog: str,
) -> argparse.ArgumentParser:
    """A sub-command with the options every command has; ``run`` gets the parsed arguments."""
    command = commands.add_parser(
        name, help=summary, description=summary, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    command.add_argument("--debug", action="store_true", help="show tracebacks")
    command.set_defaults(run=run)
    return command


def add_site_options(command: argparse.ArgumentParser, output: bool = True) -> None:
    """Where the site's parts are: the same options and defaults for every command that reads a site."""
    command.add_argument("--content", type=Path, default=Path("content"), help="articles folder (default: content)")
    if output:
        command.add_argument("--output", type=Path, default=Path("_site"), help="output folder (default: _site)")
    command.add_argument("--config", type=Path, default=None, help="site settings (default: site.yaml if present)")
    command.add_argument("--templates", type=Path, default=None, help="site templates (default: templates/ if present)")


def add_build_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = add_command(commands, "build", run_build, "Build content/ into a static site.", BUILD_EPILOG)
    add_site_options(build)
    build.add_argument("--report", type=Path, default=None, help="write a JSON report of every input file")
    build.add_argument("--strict", action="store_true", help="reject articles that have warnings")
    build.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="processes to use (default: all cores); 1 for none"
    )
    build.add_argument("--quiet", action="store_true", help="print only the rejected files")
    build.add_argument("--verbose", action="store_true", help="list every file of each kind of problem")
    build.add_argument("--timings", action="store_true", help="print the CPU seconds each stage of the build took")
    build.add_argument(
        "--drafts", action="store_true", help="preview: publish drafts too, marked, outside feeds, sitemaps and search"
    )
    build.add_argument(
        "--keep-all", action="store_true", help="publish non-articles and duplicates too (they stay flagged)"
    )
    build.add_argument(
        "--force", action="store_true", help="build into a folder newsgen did not make, deleting what it does not write"
    )
    add_base_url_option(build)


def add_base_url_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--base-url", default=None, metavar="URL", help="publish at this address instead of site.yaml's (a preview)"
    )


def _load_config(path: Path | None, args: argparse.Namespace) -> SiteConfig:
    """The site's settings, with ``--base-url`` over site.yaml's ``base_url``."""
    config = load_config(path)
    return config if args.base_url is None else with_base_url(config, args.base_url)


IMPORT_EPILOG = """\
examples:
  newsgen import articles.csv                       one file per row into content/<source>/
  newsgen import dump.jsonl --content archive       JSON Lines, into archive/<source>/
  newsgen import x.csv --map title=headline,content=article_text,source=site
  newsgen import crawl.warc.gz                      each captured HTML page into content/<host>/*.html

Columns found by default: title|headline, content|text|body, summary|description|meta_description,
date|published, url|link, domain|source|site, authors|author, tags|keywords|meta_keywords, id.
A field takes the first of its columns with a value; authors and tags merge theirs. Each row is
written whole or reported; importing the same rows again writes nothing new. From a WARC file, each
HTML page captured with status 200 is kept as it was, with its address and capture time in front
matter; redirects, errors, other media and non-response records are counted and skipped.
exit status: 0 every row imported (or already there); 2 some rows were not (listed); 1 nothing read."""


def add_import_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "Import a CSV or JSON Lines file of scraped articles (one text file per row) or a WARC web archive."
    command = add_command(commands, "import", run_import, summary, IMPORT_EPILOG)
    command.add_argument("file", type=Path, metavar="FILE", help="a .csv, .jsonl, .warc or .warc.gz file")
    command.add_argument("--content", type=Path, default=Path("content"), help="articles folder (default: content)")
    command.add_argument("--map", default=None, metavar="FIELD=COLUMN,...", help="which column holds which field")


def run_import(args: argparse.Namespace) -> int:
    from newsgen.sources.importer import (  # only here
        apply_import,
        parse_column_map,
        plan_import,
        read_rows,
        resolve_columns,
    )
    from newsgen.sources.warcimport import is_warc, plan_warc

    skipped: dict[str, int] = {}
    if is_warc(args.file):
        plan, skipped = plan_warc(args.file)
    else:
        columns, rows, unreadable = read_rows(args.file)
        plan = plan_import(rows, resolve_columns(columns, parse_column_map(args.map)), args.file.name)
        plan = dataclasses.replace(plan, problems=(*unreadable, *plan.problems))
    result = apply_import(plan, args.content, args.file.name)
    if skipped:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items(), key=lambda item: (-item[1], item[0])))
        print(f"skipped {sum(skipped.values())} records that are no HTML page: {kinds}", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in result.problems:
        print(f"not imported: {problem}", file=sys.stderr)
    print(
        f"Imported {len(result.written)} new file{'s' * (len(result.written) != 1)} into {args.content}/; "
        f"{len(result.unchanged)} already there, {len(result.problems)} not imported."
    )
    return EXIT_REJECTED if result.problems else EXIT_OK


EXPLAIN_EPILOG = """\
examples:
  newsgen explain content/rt/story.txt        every line, kept or removed and by which rule
  newsgen explain story.txt --content archive  judge it with the other files of its source in archive/

A file inside the content folder is compared with the other files of its source, as in a build, so
lines that its site repeats are found. Colour is used on a terminal unless NO_COLOR is set."""


def add_explain_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "Show what the cleaner does to one file: each line kept, or removed and by which rule."
    command = add_command(commands, "explain", run_explain, summary, EXPLAIN_EPILOG)
    command.add_argument("file", type=Path, metavar="FILE", help="an article file")
    command.add_argument("--content", type=Path, default=Path("content"), help="articles folder (default: content)")
    command.add_argument("--config", type=Path, default=None, help="site settings (default: site.yaml if present)")


def run_explain(args: argparse.Namespace) -> int:
    from newsgen.commands.explain import format_explanation  # the stages: imported by the commands that run them
    from newsgen.pipeline import explain_file

    config = load_config(args.config if args.config is not None else _if_exists(Path("site.yaml")))
    if not args.file.is_file():
        raise NewsgenError(f"{args.file}: no such file")
    content = args.content if args.file.resolve().is_relative_to(args.content.resolve()) else None
    try:
        explanation = explain_file(args.file, content, config)
    except ContentError as exc:
        print(f"rejected: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(format_explanation(explanation, colour=colour))
    return EXIT_OK if explanation.verdict == "published" else EXIT_REJECTED


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """``parser.parse_args``, suggesting the closest command or option to a mistyped one (argparse does from 3.14).

    Like argparse's own errors, a mistake prints the usage and exits with status 2.
    """
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if argv and not argv[0].startswith("-") and argv[0] not in commands.choices:
        parser.error(_unknown("command", argv[0], list(commands.choices), "commands: " + ", ".join(commands.choices)))
    args, extra = parser.parse_known_args(argv)
    if extra:
        command = commands.choices.get(args.command, parser)
        option = next((arg.partition("=")[0] for arg in extra if arg.startswith("-")), None)
        known = [name for action in command._actions for name in action.option_strings]
        if option is not None:
            command.error(_unknown("option", option, known, f"see {command.prog} --help"))
        command.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _unknown(kind: str, name: str, known: list[str], otherwise: str) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"unknown {kind} '{name}'; " + (f"did you mean '{close[0]}'?" if close else otherwise)


class _ToStderr(logging.Handler):
    """The library's log messages on the standard error as it is now (a test may have swapped it), as said."""

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr, flush=True)


def _show_log() -> None:
    """Print what the library logs, once however many times ``main`` runs in one process."""
    log = logging.getLogger("newsgen")
    if not any(isinstance(h, _ToStderr) for h in log.handlers):
        log.addHandler(_ToStderr())
        log.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _show_log()
    parser = make_parser()
    args = parse_arguments(parser, sys.argv[1:] if argv is None else list(argv))
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_REJECTED  # as argparse exits for any other usage mistake
    try:
        return int(args.run(args))
    except (NewsgenError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno not in HOST_ERRNOS:
            return _unexpected(exc, args.debug)
        if args.debug:
            traceback.print_exc()
        error = host_error(exc) if isinstance(exc, OSError) else exc
        print(f"{paint('error:', 'red', sys.stderr)} {error}", file=sys.stderr)
        return EXIT_HOST if isinstance(error, HostError) else EXIT_FAILED
    except Exception as exc:
        return _unexpected(exc, args.debug)


def _unexpected(exc: Exception, debug: bool) -> int:
    """A bug in newsgen: say so, and how to see more."""
    if debug:
        raise exc
    problem = f"newsgen failed unexpectedly ({type(exc).__name__}: {exc})."
    print(f"{paint('error:', 'red', sys.stderr)} {problem}", file=sys.stderr)
    print("Run again with --debug for details and please report it.", file=sys.stderr)
    return EXIT_FAILED


def run_build(args: argparse.Namespace) -> int:
    config_path, templates = _site_paths(args)
    config = _load_config(config_path, args)
    if args.report is not None and not args.report.parent.is_dir():  # found out now, not after publishing
        raise NewsgenError(f"cannot write the report to {args.report}: folder {args.report.parent} does not exist")
    if args.report is not None and args.report.is_dir():
        raise NewsgenError(f"cannot write the report to {args.report}: it is a folder; name a file, e.g. report.json")
    if args.jobs is not None and args.jobs < 1:
        raise NewsgenError(f"--jobs must be 1 or more, not {args.jobs}")
    wanted = args.report is not None
    last = last_build(
        config,
        args.content,
        args.output,
        templates,
        args.strict,
        args.keep_all,
        wanted,
        args.drafts,
        config_path,
        args.force,
    )
    report = last.report
    if report is None:  # the stages are imported only when there is something to build
        from newsgen.pipeline import build_site

        printer = ProgressPrinter(sys.stderr)
        report = build_site(
            config,
            args.content,
            args.output,
            templates,
            strict=args.strict,
            debug=args.debug,
            keep_all=args.keep_all,
            jobs=args.jobs or default_jobs(),
            progress=None if args.quiet else printer,
            report=wanted,
            last=last,
            drafts=args.drafts,
            config_file=config_path,
            force=args.force,
        )
        printer.finish()
    if args.report is not None:
        text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
        args.report.write_text(text, encoding="utf-8")
    _print_report(report, args.output, args.quiet, args.verbose)
    if args.timings:
        print(timings(report))
    return EXIT_REJECTED if report.rejected else EXIT_OK


def timings(report: BuildReport) -> str:
    """One line: the CPU seconds of each stage, and of the process (its start and imports too) with its workers."""
    stages = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in report.cpu) if report.cpu else "nothing built"
    return f"CPU seconds: {stages}; {cpu_seconds():.2f} in all"


def _written(report: BuildReport) -> str:
    """How many files an incremental build wrote (the others were already right): "" when it wrote all."""
    return "" if report.written == report.pages else f", {report.written} written"


def _print_report(report: BuildReport, output: Path, quiet: bool, verbose: bool = False) -> None:
    """The problems by kind (on stderr), then one summary line; a build that changed nothing, that line only.

    ``quiet``: the rejected files only, even from a build that changed nothing (its exit status is 2 again).
    """
    if not report.unchanged or verbose or quiet:
        warnings = () if quiet else report.warnings
        skipped = (report.non_articles, report.duplicates) if not quiet else ((), ())
        groups = group_problems(report.rejected, warnings, *skipped)
        print_problems(groups, sys.stderr, verbose, "--verbose or --report")
    if quiet:
        return
    n, drafts = report.article_count, len(report.drafts)
    counts = f"{plural(len(report.warnings), 'warning')}, {len(report.rejected)} rejected"
    if report.with_drafts and drafts:
        counts += f", {plural(drafts, 'draft')} included"
    counts += left_out(report.non_articles, len(report.duplicates), 0 if report.with_drafts else drafts)
    if report.unchanged:
        again = "; --verbose lists them again" if report.rejected else ""
        print(
            f"Up to date: nothing changed since the last build of {plural(n, 'article')} into {output}/ "
            f"(checked in {report.seconds:.2f} s); {counts}{again}."
        )
        return
    size = f"({report.pages} files{_written(report)}, {report.bytes / 1024:.0f} KiB)"
    print(f"Built {plural(n, 'article')} into {output}/ {size} in {report.seconds:.2f} s; {counts}.")
    if report.rejected:
        print("Rejected files are listed above with the reason; fix them and build again.")


def _if_exists(path: Path) -> Path | None:
    return path if path.exists() else None


def _site_paths(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """(config file, templates folder): the given ones, else site.yaml and templates/ when present."""
    config = args.config if args.config is not None else _if_exists(Path("site.yaml"))
    templates = args.templates if args.templates is not None else _if_exists(Path("templates"))
    return config, templates


# --- check ---------------------------------------------------------------------------------------

CHECK_EPILOG = """\
examples:
  newsgen check                      check content/ with site.yaml, write nothing
  newsgen check --content incoming   check a batch of scraped files before moving them in
  newsgen check --strict             also fail when there are warnings
  newsgen check --verbose            list every file of each kind of problem, not the first 3

exit status, as build's: 0 every file could be read and parsed (with --strict: and had no
warning); 2 otherwise; 1 bad configuration. Non-articles and duplicates are counted, not errors."""


def add_check_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = add_command(
        commands, "check", run_check, "Load, clean and date every article without writing a site.", CHECK_EPILOG
    )
    add_site_options(check, output=False)
    check.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")
    check.add_argument("--verbose", action="store_true", help="list every file of each kind of problem")


def run_check(args: argparse.Namespace) -> int:
    from newsgen.pipeline import check_content

    config_path, _ = _site_paths(args)
    config = load_config(config_path)
    checked = check_content(config, args.content, strict=args.strict, debug=args.debug, jobs=default_jobs())
    warnings = checked.warnings
    groups = group_problems(checked.rejected, warnings, checked.non_articles, checked.duplicates)
    print_problems(groups, sys.stdout, args.verbose, "--verbose")
    rows = [
        ("articles", len(checked.archive.articles)),
        ("  dated", len(checked.archive.dated)),
        ("  undated", len(checked.archive.undated)),
        ("pages", len(checked.archive.pages)),
        ("warnings", len(warnings)),
        ("rejected", len(checked.rejected)),
        ("non-articles", sum(not n.published for n in checked.non_articles)),
        ("duplicates", len(checked.duplicates)),
        ("drafts", len(checked.drafts)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, count in rows:
        print(f"{name:<{width}}  {count:>7}")
    if checked.rejected:  # what a build would reject: the exit status is the build's
        print("Fix the files listed above and run newsgen check again.")
    return EXIT_REJECTED if checked.rejected else EXIT_OK


# --- clean ---------------------------------------------------------------------------------------

CLEAN_EPILOG = """\
examples:
  newsgen clean                      remove _site/ and its build cache in .newsgen-cache/
  newsgen clean --output preview     remove preview/ and its cache; _site/ and its cache stay
  newsgen clean --dry-run            only list what would be removed

It names what it removes first. It refuses a folder that no newsgen build recorded in the
.newsgen-cache/ beside it, and one that holds the content, the settings or the templates.
exit status: 0 removed (or nothing to remove); 1 refused."""


def add_clean_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "Remove the output folder and its build cache (the next build is a full one)."
    clean = add_command(commands, "clean", run_clean, summary, CLEAN_EPILOG)
    add_site_options(clean)
    clean.add_argument("--dry-run", action="store_true", help="list what would be removed, remove nothing")


def run_clean(args: argparse.Namespace) -> int:
    from newsgen.commands.clean import plan_cleaning, remove
    from newsgen.incremental.stamp import build_lock, lock_file, say_waiting

    config, templates = _site_paths(args)
    keep = [p for p in (args.content, config, templates) if p is not None]
    cleaning = plan_cleaning(args.output, keep)
    if not cleaning.paths:
        print(f"Nothing to remove: no {args.output}/ and no build cache for it.")
        return EXIT_OK
    verb = "would remove" if args.dry_run else "removing"
    for path in cleaning.paths:
        shown = _shown(path) + ("/" if path.is_dir() else "")
        if path != cleaning.output:
            print(f"{verb} {shown}")
        elif not cleaning.kept:
            print(f"{verb} {shown} ({plural(cleaning.files, 'file')})")
        else:  # files added by hand stay, and so does the folder
            kept = cleaning.kept
            print(f"{verb} the {plural(cleaning.files, 'file')} that newsgen wrote in {shown}")
            more = f" and {len(kept) - 3} more" if len(kept) > 3 else ""
            print(f"keeping {plural(len(kept), 'file')} that newsgen did not write: {', '.join(kept[:3])}{more}")
    if args.dry_run:
        print("Nothing removed (--dry-run).")
        return EXIT_OK
    # Not from under a build that is writing the output: wait for its turn, as a second build would.
    with (
        build_lock(args.output, functools.partial(say_waiting, args.output))
        if lock_file(args.output).exists()
        else contextlib.nullcontext()
    ):
        remove(plan_cleaning(args.output, keep))  # again: what a build that just finished wrote
    print("Removed; the next build is a full one.")
    return EXIT_OK


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it: what the user typed, more or less."""
    return str(path.relative_to(Path.cwd().resolve())) if path.is_relative_to(Path.cwd().resolve()) else str(path)


# --- serve ---------------------------------------------------------------------------------------

SERVE_EPILOG = """\
examples:
  newsgen serve                      build, serve http://127.0.0.1:8000/ and rebuild on every change
  newsgen serve --port 8080          another port
  newsgen serve --host 0.0.0.0       let other machines on your network see it (not just this one)
  newsgen serve --base-url https://staging.example.org/   feeds, sitemap and canonical links name that address

Open pages reload by themselves after each rebuild; a failed build shows its error in the page.
Press Ctrl-C to stop."""


def add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = add_command(
        commands, "serve", run_serve, "Build, serve on localhost, and rebuild and reload on change.", SERVE_EPILOG
    )
    add_site_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    add_base_url_option(serve)


def run_serve(args: argparse.Namespace) -> int:
    from newsgen.commands.serve import (  # imported here: only serve needs the file watcher
        DevServer,
        refuse_output_inside,
    )
    from newsgen.pipeline import build_site

    def build() -> str | None:
        config_path, templates = _site_paths(args)
        try:
            # One process: workers forked from the watcher thread, beside the request threads, could
            # inherit a lock that one of those holds. No report: only the summary is printed.
            config = _load_config(config_path, args)
            report = build_site(config, args.content, args.output, templates, debug=args.debug, report=False)
        except NewsgenError as exc:
            return str(exc)
        _print_report(report, args.output, quiet=False)
        return None

    def on_build(error: str | None) -> None:
        if error is not None:
            print(f"{paint('error:', 'red', sys.stderr)} {error}", file=sys.stderr)
            print("Serving the last good site; fix the problem and save to rebuild.", file=sys.stderr)

    refuse_output_inside(args.output, args.content)
    if args.base_url is not None:  # a mistyped address is said once, not at every rebuild
        with_base_url(SiteConfig(), args.base_url)
    config_path, templates = _site_paths(args)
    watched = [args.content, templates or Path("templates"), config_path or Path("site.yaml")]
    server = DevServer(build, args.output, tuple(watched), args.host, args.port, on_build, args.debug)
    server.start()
    print(f"Serving {args.output}/ at {paint(server.url, 'cyan', sys.stdout)} (Ctrl-C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"{paint('note:', 'yellow', sys.stderr)} listening on {args.host}: other machines can see this site")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.stop()
    return EXIT_OK


# --- init and new --------------------------------------------------------------------------------

INIT_EPILOG = """\
examples:
  newsgen init mysite                a new site in ./mysite, ready for: cd mysite && newsgen serve"""

NEW_EPILOG = """\
examples:
  newsgen new "Storm closes the harbour"
  newsgen new "Council approves budget" --source harbour-gazette --date "2024-03-12 09:30"
"""


def add_init_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = add_command(commands, "init", run_init, "Start a new site in a new folder.", INIT_EPILOG)
    init.add_argument("folder", type=Path, help="folder to create (it must be new or empty)")


def run_init(args: argparse.Namespace) -> int:
    from newsgen.commands.scaffold import init_site

    made = init_site(args.folder)
    for path in made:
        print(f"  created {path}")
    print(f"New site in {args.folder}/. Next: cd {args.folder} && newsgen serve")
    return EXIT_OK


def add_new_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = add_command(commands, "new", run_new, "Start a new Markdown article.", NEW_EPILOG)
    new.add_argument("title", help="the article's title")
    new.add_argument("--source", default=None, help="publication (folder under content/; default: default_source)")
    new.add_argument(
        "--date",
        default=None,
        help="publication date (default: now); without a zone it is in the source's timezone, else the site's",
    )
    new.add_argument("--content", type=Path, default=Path("content"), help="articles folder (default: content)")
    new.add_argument("--config", type=Path, default=None, help="site settings (default: site.yaml if present)")


def run_new(args: argparse.Namespace) -> int:
    from datetime import datetime

    from newsgen.commands.scaffold import new_article
    from newsgen.text.dates import parse_date_value

    config = load_config(args.config if args.config is not None else _if_exists(Path("site.yaml")))
    zone = config.zone_for(args.source or config.default_source)
    if args.date is None:
        when = datetime.now(zone).replace(microsecond=0)
    else:
        parsed = parse_date_value(args.date, tz=zone, dayfirst=config.dayfirst)
        if parsed is None:
            raise NewsgenError(f'cannot read the date {args.date!r}; use e.g. 2024-03-12 or "2024-03-12 09:30"')
        when = parsed
    print(new_article(args.content, config, args.title, args.source, when))
    return EXIT_OK


# --- export --------------------------------------------------------------------------------------

EXPORT_EPILOG = """\
examples:
  newsgen export -o archive.jsonl     one JSON object per article, one a line
  newsgen export -o archive.db        an SQLite database with a full-text index (FTS5)
  newsgen export -o - | jq .title     JSON Lines on the standard output
  newsgen export --format sqlite -o archive.data --base-url https://archive.example.org/

The articles a build would publish, in its order: drafts, duplicates and non-articles are left out.
Problems are printed as check prints them, on the standard error. The file is written under a
temporary name and replaces an existing one only when complete.
exit status, as check's: 0 every file could be read and parsed; 2 some could not (listed; the
others are exported); 1 nothing was exported (bad configuration, missing content folder, no
usable output); 3 the machine stopped it (disk full, permission denied)."""


def add_export_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "Export the archive for other tools: JSON Lines, or SQLite with full-text search."
    export = add_command(commands, "export", run_export, summary, EXPORT_EPILOG)
    export.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="file to write; - for the standard output"
    )
    export.add_argument(
        "--format", choices=("jsonl", "sqlite"), default=None, help="default: from FILE's suffix (.jsonl, .db, .sqlite)"
    )
    export.add_argument("--content", type=Path, default=Path("content"), help="articles folder (default: content)")
    export.add_argument("--config", type=Path, default=None, help="site settings (default: site.yaml if present)")
    add_base_url_option(export)
    export.add_argument("--verbose", action="store_true", help="list every file of each kind of problem")


def run_export(args: argparse.Namespace) -> int:
    from newsgen.commands.export import STDOUT, export_archive

    config = _load_config(args.config if args.config is not None else _if_exists(Path("site.yaml")), args)
    sys.stdout.flush()
    try:
        done = export_archive(
            config, args.content, args.output, args.format, sys.stdout.buffer, default_jobs(), args.debug
        )
    except BrokenPipeError:  # the reader had enough (``| head``): no error, and none when Python flushes at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    checked = done.checked
    warnings = checked.warnings
    groups = group_problems(checked.rejected, warnings, checked.non_articles, checked.duplicates)
    print_problems(groups, sys.stderr, args.verbose, "--verbose")
    where = "the standard output" if args.output == STDOUT else str(args.output)
    kind = "SQLite with full-text search" if done.format == "sqlite" else "JSON Lines"
    counts = f"{plural(len(warnings), 'warning')}, {len(checked.rejected)} rejected"
    counts += left_out(checked.non_articles, len(checked.duplicates), len(checked.drafts))
    print(
        f"Exported {plural(len(checked.archive.articles), 'article')} to {where} "
        f"({kind}, {done.bytes / 1024:.0f} KiB) in {done.seconds:.2f} s; {counts}.",
        file=sys.stderr,
    )
    return EXIT_REJECTED if checked.rejected else EXIT_OK
