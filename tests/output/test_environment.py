"""Sites built in another language: the theme's words, titles, captions and dates in it; ISO dates as they were."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from newsgen.output.environment import site_words
from newsgen.pipeline import BuildReport

Build = Callable[..., BuildReport]
MakeContent = Callable[[dict[str, str]], Path]

ARTICLES = {
    "rt/lavrov.txt": "Lavrov and Kerry meet in Geneva\nThursday 8 September 2016 14:01 MSK\n\nTalks resumed.\n",
    "rt/talks.txt": "Talks on Syria continue\n9 September 2016 10:00 MSK\n\nThe delegations met again.\n",
    "rt/more.txt": "Ceasefire agreed in Geneva\n10 September 2016 22:15 MSK\n\nBoth sides agreed.\n",
    "notes/about.md": "---\ntitle: About this archive\n---\n\nNo date here.\n",
}


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


@pytest.fixture
def french_site(make_content: MakeContent, build: Build, tmp_path: Path) -> tuple[Path, BuildReport]:
    make_content(ARTICLES)
    return tmp_path / "_site", build({"language": "fr", "base_url": "https://example.org/"})


def test_a_french_sites_words_and_dates_are_french(french_site: tuple[Path, BuildReport]) -> None:
    site, report = french_site
    assert not report.site_warnings
    front = read(site, "index.html")
    assert '<html lang="fr">' in front and ">Aller au contenu</a>" in front and ">Derniers articles</h1>" in front
    assert 'placeholder="Rechercher dans les archives"' in front and '<p class="meta">Sans date</p>' in front
    assert "Latest" not in front and "Undated" not in front and "September" not in front
    article = read(site, "2016/09/08/lavrov-and-kerry-meet-in-geneva/index.html")
    assert '<time datetime="2016-09-08T14:01:00+03:00">8 septembre 2016, 14:01 UTC+03:00</time>' in article
    assert ">Source\u00a0:" in article and "<span>Suivant</span>" in article and ">Accueil</a>" in article
    month = read(site, "2016/09/index.html")
    assert '<span class="weekday">vendredi</span> 9 septembre 2016</time>' in month
    assert "<title>septembre 2016 · News archive</title>" in month and '<p class="meta">3 articles</p>' in month
    assert "<title>jeudi 8 septembre 2016\u00a0: 1 article</title>" in month  # a calendar day's tooltip
    assert ">LMMJVSD</text>" in month and "Articles par jour, septembre 2016\u00a0: 3 articles sur 3 jours" in month
    archive = read(site, "archive/index.html")
    assert ">Archives</h1>" in archive and '<span class="month-name">juil.</span>' in archive
    assert ">Articles sans date</a>" in read(site, "archive/index.html")
    assert '<h1 class="page-title">Articles sans date</h1>' in read(site, "undated/index.html")
    search = read(site, "search/index.html")
    messages = json.loads(re.search(r'<script type="application/json" id="search-messages">(.*?)</script>', search)[1])  # type: ignore[index]
    assert messages["lang"] == "fr" and messages["results"] == {"one": "%(num)d résultat", "other": "%(num)d résultats"}
    assert messages["undated"] == "Sans date" and ">Toutes les années</option>" in search
    # What machines read stays as it was.
    assert "<pubDate>Thu, 08 Sep 2016 14:01:00 +0300</pubDate>" in read(site, "rss.xml")
    assert '"datePublished": "2016-09-08T14:01:00+03:00"' in article and "<lastmod>2016-09-" in read(
        site, "sitemap.xml"
    )


def test_the_search_index_dates_results_in_the_sites_language(french_site: tuple[Path, BuildReport]) -> None:
    site, _ = french_site
    docs = "".join(p.read_text(encoding="utf-8") for p in sorted((site / "search" / "data").rglob("*.json")))
    assert "9 septembre 2016" in docs and "September" not in docs


def test_a_language_without_a_translation_is_english_with_a_warning_naming_the_setting(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(ARTICLES)
    report = build({"language": "it"})
    assert [str(w) for w in report.site_warnings] == [
        "site.yaml: language: the theme has no translation to 'it' (de, en, es, fr, ru); its words are English"
    ]
    front = read(tmp_path / "_site", "index.html")
    assert '<html lang="it">' in front and ">Latest articles</h1>" in front and "9 September 2016" in front


def test_a_change_of_language_rebuilds_every_page_in_the_new_one(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    """The compiled templates are kept between the builds: they call gettext as they render, so they serve both."""
    make_content(ARTICLES)
    build({"language": "en"})
    compiled = sorted(p.name for p in tmp_path.rglob("*.cache"))
    build({"language": "de"})
    site = tmp_path / "_site"
    assert ">Neueste Artikel</h1>" in read(site, "index.html")
    assert "<title>8. September 2016 · News archive</title>" in read(site, "2016/09/08/index.html")
    assert '<span class="weekday">Donnerstag,</span> 8. September 2016</time>' in read(site, "2016/09/index.html")
    assert "8. September 2016, 14:01 UTC+03:00" in read(site, "2016/09/08/lavrov-and-kerry-meet-in-geneva/index.html")
    assert "Undatierte Artikel" in read(site, "undated/index.html")
    assert compiled and sorted(p.name for p in tmp_path.rglob("*.cache")) == compiled
    build({"language": "ru"})
    month = read(site, "2016/09/index.html")
    assert "<title>сентябрь 2016 · News archive</title>" in month and '<p class="meta">3 статьи</p>' in month
    assert '<span class="weekday">четверг,</span> 8 сентября 2016</time>' in month


def test_a_sites_own_catalogue_changes_a_word(tmp_path: Path) -> None:
    locale = tmp_path / "templates" / "locale"
    locale.mkdir(parents=True)
    (locale / "fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Home"\nmsgstr "Une"\n', encoding="utf-8"
    )
    words, warning = site_words("fr-CA", tmp_path / "templates")
    assert warning is None and words.gettext("Home") == "Une" and words.gettext("Archive") == "Archives"


def test_an_edit_to_a_sites_catalogue_rebuilds_the_pages_that_show_the_word(
    make_content: MakeContent, build: Build, tmp_path: Path
) -> None:
    make_content(ARTICLES)
    catalogue = tmp_path / "templates" / "locale" / "fr.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Home"\nmsgstr "Une"\n', encoding="utf-8")
    build({"language": "fr"}, templates_dir=tmp_path / "templates")
    assert ">Une</a>" in read(tmp_path / "_site", "2016/09/index.html")
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace('"Une"', '"Début"'), encoding="utf-8")
    build({"language": "fr"}, templates_dir=tmp_path / "templates")
    assert ">Début</a>" in read(tmp_path / "_site", "2016/09/index.html")
