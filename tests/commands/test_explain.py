"""newsgen explain: the same stages as the build, every line marked, colour only on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.commands.explain import format_explanation
from newsgen.config import SiteConfig
from newsgen.pipeline import explain_file

ROOT = Path(__file__).resolve().parents[2]
MakeContent = Callable[[Mapping[str, str | bytes]], Path]
PROMO = "Headline: Gold stocks are the next big thing!"


def story(title: str, sentence: str) -> str:
    return f"{title}\n\n{PROMO}\n\n{sentence} The council met on Tuesday to discuss it at length.\n\nSource: http://x.org/a\n"


def test_explain_marks_each_line_with_its_rule_and_uses_the_source(
    make_content: MakeContent, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = make_content({f"site/{n}.txt": story(f"Story number {n} here", f"Fact {n} is new.") for n in "abc"})
    monkeypatch.chdir(content.parent)
    assert main(["explain", "content/site/a.txt"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out  # not a terminal: plain text
    rows = {line.split()[0]: line.split(maxsplit=2)[1:] for line in out.splitlines()[1:] if line[:5].strip().isdigit()}
    assert rows["1"] == ["title", "Story number a here"]
    assert rows["3"] == ["repeated-in-source", PROMO]
    assert rows["5"][0] == "kept"
    assert rows["7"][0] == "bare-url"
    assert "compared with 2 other files of its source; verdict: published" in out


def test_explain_alone_and_in_colour(make_content: MakeContent, tmp_path: Path) -> None:
    make_content({"site/a.txt": story("Story number a here", "Fact a is new.")})
    explanation = explain_file(tmp_path / "content" / "site" / "a.txt", None, SiteConfig())
    assert explanation.compared_with is None
    assert PROMO in [line.text for line in explanation.source.lines]
    assert 3 not in {r.number for r in explanation.removed}  # alone, the promo is not known to repeat
    coloured = format_explanation(explanation, colour=True)
    assert "\x1b[31m" in coloured and "judged alone (not inside the content folder" in coloured


def test_explain_the_only_file_of_its_source_as_part_of_the_content_folder(
    make_content: MakeContent, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = make_content(
        {
            "solo/a.txt": story("Story number a here", "Fact a is new."),
            "site/b.txt": story("Story number b here", "Fact b is new."),
        }
    )
    monkeypatch.chdir(content.parent)
    assert main(["explain", "content/solo/a.txt"]) == 0
    out = capsys.readouterr().out
    assert "in the content folder, the only scraped-text file of its source (no other to compare with)" in out
    assert "not inside" not in out
    assert main(["explain", "content/site/b.txt"]) == 0  # another source's file is not compared with it
    assert "the only scraped-text file of its source" in capsys.readouterr().out
    assert explain_file(content / "solo" / "a.txt", None, SiteConfig()).compared_with is None


def test_explain_works_on_the_seed_and_says_what_went(capsys: pytest.CaptureFixture[str]) -> None:
    seed = ROOT / "content" / "rt" / "russia-us-deal-on-syrian-reconciliation.txt"
    assert main(["explain", str(seed), "--content", str(ROOT / "content")]) == 0
    out = capsys.readouterr().out
    assert "icon-run" in out and "dateline" in out and "verdict: published" in out


def test_explain_a_missing_file_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["explain", str(tmp_path / "nope.txt")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_explain_shows_the_line_models_removals_with_their_scores(tmp_path: Path) -> None:
    menu = ["Gardening tips", "Recipes", "Events calendar", "Photo galleries", "Letters to the editor"]
    menu += ["Weather", "Traffic", "Obituaries", "Puzzles", "Crosswords"]
    body = [
        f"The harbour authority closed the northern basin on day {n} after a storm damaged two of its cranes and "
        "left debris across the main channel, officials said in a statement released late in the evening."
        for n in range(1, 4)
    ]
    page = tmp_path / "storm.txt"
    page.write_text("\n".join([*menu, "", "Storm closes the harbour", "", *(f"{p}\n" for p in body), *menu]), "utf-8")
    out = format_explanation(explain_file(page, None, SiteConfig()))
    rows = [line.split() for line in out.splitlines()[1:] if line[:5].strip().isdigit() and len(line.split()) > 1]
    judged = [row for row in rows if row[1] == "line-model"]
    assert len(judged) == 2 * len(menu)
    assert all(0 <= float(row[2]) < 0.4 and " ".join(row[3:]) in menu for row in judged)
    assert ["title", "Storm", "closes", "the", "harbour"] in [row[1:] for row in rows]
    assert f"line-model {len(judged)}" in out  # the summary counts by rule, scores aside
