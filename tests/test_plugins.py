"""Plugins named in site.yaml: filters and globals, Markdown extensions, cleaner rules, post-build hooks."""

from __future__ import annotations

import gzip
import importlib.metadata
import shutil
import textwrap
from pathlib import Path

import pytest

from newsgen.cli import main
from newsgen.config import load_config
from newsgen.output.environment import make_environment
from newsgen.plugins import PluginError

ROOT = Path(__file__).resolve().parents[1]
STORY = "{title}\n8 Sep, 2016 14:01\n\nThe harbour reopened today after the storm, the council said.\n"
FILTERS = """
def register(registry):
    registry.add_filter("shout", lambda text: text.upper() + "!")
    registry.add_global("motto", "{motto}")
"""


def story(title: str) -> str:
    """An article of its own: its title is its body too, so that no two are duplicates."""
    return STORY.format(title=title) + f"The {title.lower()} was reported by our correspondent in the harbour.\n"


HEAD = '{% extends "!theme/base.html" %}{% block head %}<meta name="motto" content="{{ motto | shout }}">{% endblock %}'


def make_site(root: Path, plugins: dict[str, str], articles: dict[str, str] | None = None) -> Path:
    """A site folder: site.yaml listing the plugin files written beside it, and a few articles."""
    for name, code in plugins.items():
        (root / name).write_text(textwrap.dedent(code), encoding="utf-8")
    listed = "".join(f"  - {name}\n" for name in plugins)
    (root / "site.yaml").write_text(f"title: Gazette\nplugins:\n{listed}", encoding="utf-8")
    for name, text in (articles or {"gazette/a.txt": STORY.format(title="Harbour reopens")}).items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    return root


def built(site: Path, *args: str) -> dict[str, bytes]:
    assert main(["build", *args]) == 0
    return {str(p.relative_to(site / "_site")): p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}


def test_the_gzip_example_writes_a_copy_of_each_page_and_keeps_it_while_the_page_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / "examples" / "gzip_pages.py", tmp_path / "gzip_pages.py")
    articles = {f"gazette/{n}.txt": story(f"Harbour story {n}") for n in ("one", "two")}
    site = make_site(tmp_path, {}, articles)
    (site / "site.yaml").write_text("plugins: [gzip_pages.py]\n", encoding="utf-8")
    monkeypatch.chdir(site)
    files = built(site)
    pages = [p for p in files if p.endswith(".html")]
    assert len(pages) > 5 and all(files[p + ".gz"][3:8] == bytes(5) for p in pages)  # no name, no time
    assert all(gzip.decompress(files[p + ".gz"]) == files[p] for p in pages)
    assert not [p for p in files if p.endswith(".gz") and p[:-3] not in files]
    copy = site / "_site" / "2016/09/08/harbour-story-one/index.html.gz"
    stamps = {p: (site / "_site" / p).stat().st_mtime_ns for p in files if p.endswith(".gz")}

    assert built(site) == files  # a no-op build
    (site / "content/gazette/two.txt").write_text(story("Harbour story two, again"), encoding="utf-8")
    again = built(site)
    same = [p for p in pages if again.get(p) == files[p]]
    assert "archive/index.html" in same  # a page the edit did not change keeps its copy: not written again
    assert all((site / "_site" / p).with_suffix(".html.gz").stat().st_mtime_ns == stamps[p + ".gz"] for p in same)
    page = "2016/09/08/harbour-story-two-again/index.html"
    assert gzip.decompress(again[page + ".gz"]) == again[page]
    assert "2016/09/08/harbour-story-two/index.html.gz" not in again  # its page went: so did its copy

    (site / "content/gazette/one.txt").unlink()
    left = built(site)
    assert "2016/09/08/harbour-story-one/index.html" not in left and not copy.exists()
    assert all(gzip.decompress(left[p + ".gz"]) == left[p] for p in left if p.endswith(".html"))


def test_a_file_no_hook_writes_any_more_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = """
    import os
    def register(registry):
        registry.add_post_build(lambda site: os.environ.get("EXTRA") and site.write("extra.txt", "more"))
    """
    site = make_site(tmp_path, {"extra.py": hook})
    monkeypatch.chdir(site)
    monkeypatch.setenv("EXTRA", "1")
    assert built(site)["extra.txt"] == b"more"
    monkeypatch.delenv("EXTRA")
    (site / "content/gazette/a.txt").write_text(STORY.format(title="Harbour reopens at last"), encoding="utf-8")
    assert "extra.txt" not in built(site)


def test_filters_and_globals_reach_the_templates_and_an_edited_plugin_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path, {"words.py": FILTERS.format(motto="all the news")})
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(HEAD, encoding="utf-8")
    monkeypatch.chdir(site)
    assert b'<meta name="motto" content="ALL THE NEWS!">' in built(site)["index.html"]
    (site / "words.py").write_text(textwrap.dedent(FILTERS.format(motto="fit to print")), encoding="utf-8")
    # Same settings file, other plugin code, of the same size, likely within the same second: Python's bytecode
    # cache would take it for the file it compiled before (the suite writes bytecode: suite_environment.py).
    assert b'content="FIT TO PRINT!"' in built(site)["index.html"]
    assert not (site / "__pycache__").exists()
    env = make_environment(None, None, plugins=load_config(site / "site.yaml").plugins)
    assert env.from_string("{{ motto | shout }}").render() == "FIT TO PRINT!"


def test_a_markdown_extension_changes_the_markdown_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = "def register(registry):\n    registry.add_markdown_extension('nl2br')\n"
    article = "---\ntitle: Two lines\ndate: 2016-09-08\n---\nThe first line\nand the second.\n"
    site = make_site(tmp_path, {"breaks.py": code}, {"gazette/a.md": article})
    monkeypatch.chdir(site)
    assert b"The first line<br>" in built(site)["2016/09/08/two-lines/index.html"]
    (site / "breaks.py").write_text(code.replace("nl2br", "nl2brr"), encoding="utf-8")
    with pytest.raises(PluginError, match=r"plugin breaks\.py: its register.*nl2brr"):
        load_config(site / "site.yaml")


def test_a_cleaner_rule_removes_lines_under_its_own_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = """
    def register(registry):
        registry.add_cleaner_rule("advert", "lines offering a sale", lambda line: line.text.startswith("SALE:"))
    """
    sale = "SALE: {} boats for the price of one, only at Harbour Chandlers\n"
    articles = {f"gazette/{n}.txt": story(f"Harbour story {n}") + sale.format(n) for n in range(70)}  # to fork
    site = make_site(tmp_path, {"adverts.py": code}, articles)
    monkeypatch.chdir(site)
    pages = built(site, "--jobs", "2")
    assert "Built 70 articles" in capsys.readouterr().out and not [p for p in pages if b"Chandlers" in pages[p]]
    assert main(["explain", "content/gazette/7.txt"]) == 0
    assert "advert" in next(line for line in capsys.readouterr().out.splitlines() if "7 boats" in line)


REGISTER = "def register(registry):\n    {}\n"
FAILING = {  # the plugin listed: its code (None: no such file), and what the error says of it
    "missing_module_xyz": (None, "no entry point in group newsgen.plugins and no module"),
    "broken.py": ("1 / 0\n", "could not be imported (ZeroDivisionError: division by zero)"),
    "noregister.py": ("x = 1\n", "has no register(registry) function"),
    "refuses.py": (REGISTER.format("raise RuntimeError('no thanks')"), "its register(registry) failed (RuntimeError"),
    "../outside.py": (None, "a plugin file must be a .py file inside the site folder"),
    "globals.py": (REGISTER.format("registry.add_global('boom', lambda: 1 / 0)"), "its global boom failed (Zero"),
    "rule.py": (REGISTER.format("registry.add_cleaner_rule('odd', 'x', lambda line: 1 / 0)"), "its cleaner rule odd"),
}


@pytest.mark.parametrize("name", sorted(FAILING))
def test_a_plugin_that_fails_is_named_without_a_traceback(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = FAILING[name]
    site = tmp_path / "site"
    site.mkdir()
    make_site(site, {name: code} if code else {})
    (tmp_path / "outside.py").write_text(REGISTER.format("pass"), encoding="utf-8")
    (site / "site.yaml").write_text(f"plugins: [{name!r}]\n", encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text("{{ boom() if boom is defined }}", encoding="utf-8")
    monkeypatch.chdir(site)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert f"error: plugin {name}: {said}" in err and "Traceback" not in err
    assert not (site / "_site").exists()
    assert main(["build", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_a_failing_hook_is_named_and_leaves_the_last_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = """
    import os
    def register(registry):
        registry.add_post_build(check)
    def check(site):
        assert site.report.articles and "index.html" in site.files
        if os.environ.get("FAIL") == "raise":
            raise OSError("the disk said no")
        site.write("index.html" if os.environ.get("FAIL") else "note.txt", "x")
    """
    site = make_site(tmp_path, {"checker.py": hook})
    monkeypatch.chdir(site)
    before = built(site)
    (site / "content/gazette/b.txt").write_text(story("A second story"), encoding="utf-8")
    monkeypatch.setenv("FAIL", "raise")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "plugin checker.py: its post-build hook failed (OSError: the disk said no)" in err
    assert "Traceback" not in err
    monkeypatch.setenv("FAIL", "page")
    assert main(["build"]) == 1
    assert "index.html is a file of the site already" in capsys.readouterr().err
    after = {str(p.relative_to(site / "_site")): p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    assert after == before and sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [
        ".newsgen-cache"
    ]


def test_an_importable_module_is_a_plugin_and_its_code_is_in_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "site_words.py").write_text(textwrap.dedent(FILTERS.format(motto="m")), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    (tmp_path / "site.yaml").write_text("plugins: [site_words]\n", encoding="utf-8")
    config = load_config(tmp_path / "site.yaml")
    assert config.plugins.filters["shout"]("a") == "A!" and config == load_config(tmp_path / "site.yaml")
    assert "site_words" in repr(config) and config.plugins.fingerprint in repr(config)


def test_an_entry_point_names_a_plugin_in_an_installed_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "entry_words.py").write_text(textwrap.dedent(FILTERS.format(motto="m")), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    point = importlib.metadata.EntryPoint("words", "entry_words:register", "newsgen.plugins")
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: [point] if kw["name"] == "words" else [])
    (tmp_path / "site.yaml").write_text("plugins: [words]\n", encoding="utf-8")
    plugins = load_config(tmp_path / "site.yaml").plugins
    assert plugins.globals["motto"] == "m" and plugins.names == ("words",)
    (tmp_path / "entry_words.py").write_text(textwrap.dedent(FILTERS.format(motto="n")), encoding="utf-8")
    assert plugins.fingerprint != load_config(tmp_path / "site.yaml").plugins.fingerprint  # the file, not its import
