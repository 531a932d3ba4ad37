"""init, new and check through the command line, and the manners every command shares."""

from __future__ import annotations

import dataclasses
import random
import re
import shlex
import shutil
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsgen.cli import main, make_parser
from newsgen.config import SiteConfig, SourceConfig

ROOT = Path(__file__).resolve().parent.parent
MakeContent = Callable[[Mapping[str, str | bytes]], Path]
COMMANDS = ["build", "check", "serve", "init", "new", "clean", "export"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_all_commands_are_listed() -> None:
    help_text = make_parser().format_help()
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", help_text, re.MULTILINE), command


def test_readme_documents_every_setting_and_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for f in [*dataclasses.fields(SiteConfig), *dataclasses.fields(SourceConfig)]:
        assert f"`{f.name}`" in readme, f"README does not document the setting {f.name}"
    for command in COMMANDS:
        assert f"newsgen {command}" in readme, f"README does not show newsgen {command}"


def test_init_then_new_then_check_then_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "mysite"]) == 0
    assert "Next: cd mysite && newsgen serve" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path / "mysite")
    assert main(["new", "Storm closes the harbour", "--source", "gazette", "--date", "2024-03-12 09:30"]) == 0
    path = capsys.readouterr().out.strip()
    assert path == "content/gazette/2024-03-12-storm-closes-the-harbour.md"
    assert main(["new", "Storm closes the harbour", "--source", "gazette", "--date", "2024-03-12"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^articles\s+3$", out, re.MULTILINE) and re.search(r"^rejected\s+0$", out, re.MULTILINE)
    assert main(["build"]) == 0
    assert (tmp_path / "mysite/_site/2024/03/12/storm-closes-the-harbour/index.html").is_file()


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("next tuesday", "cannot read the date 'next tuesday'"),
        ("0150-01-01", "the year 150 is outside 1000-9999"),  # the build would reject the file
    ],
)
def test_new_with_a_date_it_cannot_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], date: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "A title", "--date", date]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


def test_new_dates_in_the_sources_timezone_as_its_help_and_the_readme_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.yaml").write_text("timezone: UTC\nsources:\n  india:\n    timezone: Asia/Kolkata\n")
    assert main(["new", "Monsoon arrives", "--source", "india", "--date", "2024-03-12 09:30"]) == 0
    written = Path(capsys.readouterr().out.strip()).read_text()
    assert "\ndate: 2024-03-12 09:30:00+05:30\n" in written
    before = datetime.now(ZoneInfo("Asia/Kolkata")).replace(microsecond=0)
    assert main(["new", "Monsoon leaves", "--source", "india"]) == 0
    date = re.search(r"^date: (.+)$", Path(capsys.readouterr().out.strip()).read_text(), re.MULTILINE)
    assert date and date[1].endswith("+05:30") and datetime.fromisoformat(date[1]) >= before
    assert main(["new", "Frost in the glen", "--date", "2024-03-12 09:30"]) == 0  # no source of its own: the site's
    assert "\ndate: 2024-03-12 09:30:00+00:00\n" in Path(capsys.readouterr().out.strip()).read_text()
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    helped = " ".join(capsys.readouterr().out.split())
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "in the source's timezone, else the site's" in helped
    assert "is in the source's `timezone`, else the site's" in readme


def test_init_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["init", str(tmp_path)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").read_text() == "mine"


WORDS = (
    "the harbour authority said on tuesday that northern pier would stay closed for another week while engineers "
    "finish replacing fenders and boarding ramp storm tore loose ferries will use southern berth until then "
    "passengers should allow extra time walk from car park council members asked about cost of repairs"
).split()


def body(seed: int) -> str:
    """A paragraph of 60 words that no other seed repeats: distinct articles, not duplicates."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + ".\n"


BATCH = {
    "gazette/good.txt": f"A perfectly good article\n8 Sep, 2016 14:01\n\n{body(1)}",
    "gazette/undated.txt": f"An article without any date\n\n{body(2)}",
    "gazette/ambiguous.txt": f"An article with an ambiguous date\n01/02/2018\n\n{body(3)}",
    "gazette/future.txt": f"An article from the future\n8 Sep, 2999 14:01\n\n{body(4)}",
    "gazette/legacy.txt": f"An article saved in Windows-1252\n8 Sep, 2016 14:01\n\nCaf\xe9 society. {body(5)}".encode(
        "cp1252"
    ),
    "gazette/same-1.txt": f"Same title on one day\n9 Sep, 2016 10:00\n\n{body(6)}",
    "gazette/same-2.txt": f"Same title on one day\n9 Sep, 2016 11:00\n\n{body(7)}",
    "gazette/copy.txt": f"A perfectly good article, scraped twice\n8 Sep, 2016 14:01\n\n{body(1)}",
    "gazette/stub.txt": "Page not found\n8 Sep, 2016\n\nSorry, the page you were looking for is no longer here.\n",
    "gazette/empty.txt": b"",
}


def test_check_groups_problems_by_kind_and_writes_nothing(
    make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content(BATCH)
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2  # empty.txt is rejected
    out = capsys.readouterr().out
    headings = [line for line in out.splitlines() if line and not line.startswith(" ") and "(" in line]
    assert headings == [
        "unreadable file (1)",
        "undated (no date found) (1)",
        "ambiguous date (1)",
        "future date (1)",
        "decoding fallback (1)",
        "slug collision (1)",
        "not an article (1)",
        "duplicate (1)",
    ]
    assert "  warning: gazette/ambiguous.txt:2: ambiguous date" in out
    assert "  warning: gazette/future.txt:2: date 2999-09-08T14:01:00+00:00 is in the future" in out
    assert "  warning: gazette/legacy.txt:4: not valid UTF-8 (byte 0xe9)" in out
    assert "  warning: gazette/same-2.txt: same URL as gazette/same-1.txt" in out
    assert "  rejected: gazette/empty.txt: file is empty" in out
    assert re.search(r"^articles\s+7$", out, re.MULTILINE)
    assert re.search(r"^  undated\s+1$", out, re.MULTILINE)
    assert re.search(r"^warnings\s+5$", out, re.MULTILINE)
    assert not (tmp_path / "_site").exists()


def test_check_strict_fails_on_warnings(
    make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content({k: v for k, v in BATCH.items() if k in ("gazette/good.txt", "gazette/undated.txt")})
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert main(["check", "--strict"]) == 2
    capsys.readouterr()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("titel: x\n", "error: site.yaml: unknown key 'titel'; did you mean 'title'?"),
        ("per_page: many\n", "error: site.yaml: per_page must be int, not str 'many'"),
    ],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_config_errors_name_the_key(
    command: str,
    settings: str,
    message: str,
    make_content: MakeContent,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_content({"a/good.txt": BATCH["gazette/good.txt"]})
    (tmp_path / "site.yaml").write_text(settings)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main([command]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == message
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["check", "build"])
def test_missing_content_folder(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([command, "--content", "nowhere"]) == 1
    assert "content folder nowhere not found; create it or pass --content DIR" in capsys.readouterr().err


def test_a_build_names_the_line_of_a_future_date_when_the_article_comes_from_the_cache(
    make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_content({k: v for k, v in BATCH.items() if k in ("gazette/good.txt", "gazette/future.txt")})
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second build has the article's record from the cache, without its removed lines
        assert main(["build"]) == 0
        captured = capsys.readouterr()
        assert "gazette/future.txt:2: date 2999-09-08T14:01:00+00:00 is in the future" in captured.out + captured.err
        (tmp_path / ".newsgen-cache" / "_site.stamp").unlink()  # a build, not the replay of the last one


# --- the README's examples -----------------------------------------------------------------------

# Blocks fenced as ```console run in a copy of the sample site; every command's output is compared.
CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SECONDS = re.compile(r"\b\d+\.\d+ s\b")  # how long a build took: the one thing that varies
PROGRESS = re.compile(r"[a-z]+: [\d,]+ in [\d.]+ s")  # progress lines, printed by builds over a second


def readme_sessions() -> list[list[tuple[str, list[str]]]]:
    """Each ``console`` block of the README as (command, the lines it prints) pairs."""
    sessions = []
    for block in CONSOLE_BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        sessions.append(steps)
    return sessions


def test_the_readme_has_console_examples() -> None:
    commands = [command.split()[:2] for session in readme_sessions() for command, _ in session]
    assert {"build", "check", "clean"} <= {words[1] for words in commands if words[0] == "newsgen"}


@pytest.mark.parametrize("session", readme_sessions(), ids=lambda steps: steps[0][0])
def test_readme_console_examples_print_what_the_readme_shows(
    session: list[tuple[str, list[str]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy2(ROOT / "site.yaml", tmp_path / "site.yaml")
    corpus = "tests/fixtures/corpus/fakenews_sample_dev.csv"
    (tmp_path / corpus).parent.mkdir(parents=True)
    shutil.copy2(ROOT / corpus, tmp_path / corpus)
    monkeypatch.chdir(tmp_path)
    for command, shown in session:
        words = shlex.split(command, comments=True)
        assert words[0] == "newsgen", command
        main(words[1:])
        out, err = capsys.readouterr()
        printed = [line for line in (err + out).splitlines() if not PROGRESS.fullmatch(line)]
        assert [SECONDS.sub("N s", line) for line in printed] == [SECONDS.sub("N s", line) for line in shown], command


def test_the_readmes_first_site_session_prints_the_counts_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The "Your own site" session serves (which blocks), so it is no console block: its counts are checked here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    session = readme.split("## Your own site, day to day", 1)[1].split("## Adding an article", 1)[0]
    summary = re.compile(r"^Built 3 articles into _site/ \((\d+) files, (\d+) KiB\)", re.MULTILINE)
    shown = summary.search(session)
    assert shown, "the README's first session shows the summary of its build"
    monkeypatch.chdir(tmp_path)
    assert main(["init", "mysite"]) == 0
    monkeypatch.chdir(tmp_path / "mysite")
    assert main(["new", "Storm closes the harbour", "--source", "harbour-gazette"]) == 0
    capsys.readouterr()
    assert main(["build"]) == 0
    built = summary.search(capsys.readouterr().out)
    assert built and built[1] == shown[1]
    assert abs(int(built[2]) - int(shown[2])) <= 1  # the new article is dated today: its dates' text varies
    assert re.search(r"^articles +3$", session, re.MULTILINE)


@pytest.fixture
def archive_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], str]:
    """The sample content published at archive.example.org, in the current folder; returns its feed's reader."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "site.yaml").write_text("base_url: https://archive.example.org/\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return lambda: (tmp_path / "_site" / "feed.xml").read_text("utf-8")


def test_base_url_on_the_command_line_publishes_at_another_address(
    archive_site: Callable[[], str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build"]) == 0
    assert "https://archive.example.org/" in archive_site() and "staging" not in archive_site()
    assert main(["build", "--base-url", "https://staging.example.org/"]) == 0  # not "up to date": another site
    assert "https://staging.example.org/" in archive_site() and "archive.example.org" not in archive_site()
    assert main(["build", "--base-url", "staging.example.org"]) == 1
    assert "--base-url must start with http:// or https://" in capsys.readouterr().err


def test_serve_takes_the_same_base_url(
    archive_site: Callable[[], str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsgen.commands.serve import DevServer

    def serve_briefly(server: DevServer) -> None:  # built, listening: stop at once (no timer racing a busy machine)
        assert server.port > 0

    monkeypatch.setattr(DevServer, "serve_forever", serve_briefly)
    assert main(["serve", "--port", "0", "--base-url", "https://staging.example.org/"]) == 0
    assert "https://staging.example.org/" in archive_site() and "archive.example.org" not in archive_site()
    capsys.readouterr()
    assert main(["serve", "--port", "0", "--base-url", "staging.example.org"]) == 1  # said once, before serving
    assert capsys.readouterr() == (
        "",
        "error: the command line: --base-url must start with http:// or https://, not 'staging.example.org'\n",
    )


def test_the_library_logs_and_the_command_line_prints_what_it_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from newsgen.incremental.stamp import say_waiting

    monkeypatch.chdir(tmp_path)
    main(["check", "--content", "nowhere"])  # any command: the command line shows the library's messages
    capsys.readouterr()
    say_waiting(tmp_path / "_site", 42)
    assert capsys.readouterr().err == f"waiting for another build (pid 42) of {tmp_path / '_site'}/ to finish...\n"
    log = logging.getLogger("newsgen")
    level = log.level
    try:
        log.setLevel(logging.ERROR)  # a program that embeds newsgen quiets it as any library
        say_waiting(tmp_path / "_site", 42)
        assert capsys.readouterr().err == ""
    finally:
        log.setLevel(level)
