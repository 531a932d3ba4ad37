"""The command line: parse arguments, call one function, turn errors into exit codes."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from newsgen import __version__
from newsgen.config import load_config
from newsgen.errors import ContentError, NewsgenError
from newsgen.explain import format_explanation
from newsgen.importer import apply_import, parse_column_map, plan_import, read_rows, resolve_columns
from newsgen.pipeline import BuildReport, build_site, explain_file

EXIT_OK, EXIT_FAILED, EXIT_REJECTED = 0, 1, 2

BUILD_EPILOG = """\
examples:
  newsgen build                          build content/ into _site/ with site.yaml
  newsgen build --output public --strict treat every warning as a rejection
  newsgen build --report report.json     write what happened to every file as JSON

exit status: 0 every file became a page; 2 the site was built but some files were
rejected (listed); 1 nothing was built (bad configuration or template)."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen", description="Turn folders of scraped news articles into a static archive site."
    )
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_build_command(commands)
    add_import_command(commands)
    add_explain_command(commands)
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


def add_build_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = add_command(commands, "build", run_build, "Build content/ into a static site.", BUILD_EPILOG)
    build.add_argument("--content", type=Path, default=Path("content"), help="articles folder (default: content)")
    build.add_argument("--output", type=Path, default=Path("_site"), help="output folder (default: _site)")
    build.add_argument("--config", type=Path, default=None, help="site settings (default: site.yaml if present)")
    build.add_argument("--templates", type=Path, default=None, help="site templates (default: templates/ if present)")
    build.add_argument("--report", type=Path, default=None, help="write a JSON report of every input file")
    build.add_argument("--strict", action="store_true", help="reject articles that have warnings")
    build.add_argument("--quiet", action="store_true", help="print only errors")
    build.add_argument(
        "--keep-all", action="store_true", help="publish non-articles and duplicates too (they stay flagged)"
    )


IMPORT_EPILOG = """\
examples:
  newsgen import articles.csv                       one file per row into content/<source>/
  newsgen import dump.jsonl --content archive       JSON Lines, into archive/<source>/
  newsgen import x.csv --map title=headline,content=article_text,source=site

Columns found by default: title|headline, content|text|body, date|published, url|link,
domain|source|site, authors|author, id. Importing the same rows again writes nothing new.
exit status: 0 every row imported (or already there); 2 some rows were not (listed); 1 nothing read."""


def add_import_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    summary = "Import a CSV or JSON Lines file of scraped articles into content/, one text file per row."
    command = add_command(commands, "import", run_import, summary, IMPORT_EPILOG)
    command.add_argument("file", type=Path, metavar="FILE", help="a .csv or .jsonl file")
    command.add_argument("--content", type=Path, default=Path("content"), help="articles folder (default: content)")
    command.add_argument("--map", default=None, metavar="FIELD=COLUMN,...", help="which column holds which field")


def run_import(args: argparse.Namespace) -> int:
    columns, rows, unreadable = read_rows(args.file)
    plan = plan_import(rows, resolve_columns(columns, parse_column_map(args.map)), args.file.name)
    plan = dataclasses.replace(plan, problems=(*unreadable, *plan.problems))
    result = apply_import(plan, args.content, args.file.name)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.run(args))
    except NewsgenError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        if args.debug:
            raise
        print(f"error: newsgen failed unexpectedly ({type(exc).__name__}: {exc}).", file=sys.stderr)
        print("Run again with --debug for details and please report it.", file=sys.stderr)
        return EXIT_FAILED


def run_build(args: argparse.Namespace) -> int:
    config_path = args.config if args.config is not None else _if_exists(Path("site.yaml"))
    templates = args.templates if args.templates is not None else _if_exists(Path("templates"))
    config = load_config(config_path)
    if args.report is not None and not args.report.parent.is_dir():  # found out now, not after publishing
        raise NewsgenError(f"cannot write the report to {args.report}: folder {args.report.parent} does not exist")
    report = build_site(
        config, args.content, args.output, templates, strict=args.strict, debug=args.debug, keep_all=args.keep_all
    )
    if args.report is not None:
        text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
        args.report.write_text(text, encoding="utf-8")
    _print_report(report, args.output, args.quiet)
    return EXIT_REJECTED if report.rejected else EXIT_OK


def _print_report(report: BuildReport, output: Path, quiet: bool) -> None:
    if not quiet:
        for warning in report.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    for rejection in report.rejected:
        print(f"rejected: {rejection.error}", file=sys.stderr)
    if quiet:
        return
    n = len(report.articles)
    parts = [
        f"Built {n} article{'s' * (n != 1)} into {output}/",
        f"({report.pages} files, {report.bytes / 1024:.0f} KiB) in {report.seconds:.2f} s;",
        f"{len(report.warnings)} warning{'s' * (len(report.warnings) != 1)},",
        f"{len(report.rejected)} rejected",
    ]
    if report.drafts:
        parts[-1] += f", {len(report.drafts)} draft{'s' * (len(report.drafts) != 1)} skipped"
    print(" ".join(parts) + ".")
    if report.rejected:
        print("Rejected files are listed above with the reason; fix them and build again.")


def _if_exists(path: Path) -> Path | None:
    return path if path.exists() else None
