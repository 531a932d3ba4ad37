"""What the search index keeps of an article: its terms, by the same rules as search.js, and their weights."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pytest

from newsgen.archive.collect import article_path
from newsgen.models import Article
from newsgen.output import searchdocs
from newsgen.output.searchdocs import STEMMERS, search_doc, stemmer_for, term_counts, words

# --- terms ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The island ferries' timetable", ["island", "ferri", "timet"]),
        ("L'État d’urgence, O'Brien's", ["létat", "durgenc", "obrien"]),
        ("COVID-19 well-known", ["covid", "19", "well", "known"]),
        ("Café naïve ÉTUDE e\u0301tude", ["café", "naïv", "étude", "étude"]),
        ("ﬁnance ＦＵＬＬ １２３ x²", ["financ", "full", "123", "x2"]),
        ("soft\u00adhyphen zero\u200bwidth", ["softhyphen", "zero", "width"]),
        ("emoji 🙂 1️⃣ 👨‍👩‍👧 keycap", ["emoji", "1", "keycap"]),
        ("investment investments invested investing", ["invest"] * 4),
        ("bus crisis talks news series", ["bus", "crisi", "talk", "news", "seri"]),
        ("a" * 50, ["a" * 40]),
    ],
)
def test_terms_in_english(text: str, expected: list[str]) -> None:
    assert term_counts(text, "english") == Counter(expected)


def test_each_language_is_stemmed_by_its_own_rules() -> None:
    german = term_counts("Die Häuser des Hauses; Investitionen", stemmer_for("de"))
    assert german == Counter({"haus": 2, "die": 1, "des": 1, "investition": 1})
    assert term_counts("Häuser investments", "english").keys() == {"häuser", "invest"}  # English rules leave German
    assert term_counts("Москва ЁЖИК ΟΔΟΣ", "").keys() == {"москва", "ёжик", "οδοσ"}  # no stemmer: the words themselves
    assert [stemmer_for(tag) for tag in ("de", "de-AT", "pt_BR", "EN", "nb", "ja", "")] == [
        "german", "german", "portuguese", "english", "norwegian", "", "",
    ]  # fmt: skip


def test_snowballstemmer_is_the_release_the_javascript_stemmers_were_made_by() -> None:
    """Index and query must stem alike: the Python and the vendored JavaScript stemmers are one Snowball release."""
    folder = Path(__file__).resolve().parents[2] / "templates" / "assets" / "stemmers"
    made_by = {
        re.sub(r".* by Snowball (\S+) .*", r"\1", f.read_text().splitlines()[0]) for f in folder.glob("[!b]*.js")
    }
    assert made_by == {metadata.version("snowballstemmer")}
    assert {f.name.removesuffix("-stemmer.js") for f in folder.glob("*-stemmer.js")} == {
        *STEMMERS.values(),
        "base",
    }


def test_stop_words_are_dropped_before_stemming() -> None:
    assert term_counts("the and of", "english") == Counter() and words("The and")[0] == "the"
    text = "Ares are the thes, ferries ferry Ferries bus buses boss is its"
    assert term_counts(text, "english") == Counter({"ferri": 3, "are": 1, "thes": 1, "bus": 1, "buse": 1, "boss": 1})
    assert term_counts("ares are", "english") == Counter({"are": 1})  # "are" is a stop word, the stem of "ares" not


def make_article(title: str, body: str, when: datetime | None, source: str = "rt", name: str = "RT") -> Article:
    return Article(
        source_path=f"{source}/a.txt", slug="a", title=title, published=when, updated=None, dateline=None,
        lead=body, paragraphs=(body,), body_html="", source=source, source_name=name, url=None, authors=("Ana Ruiz",),
        tags=("Rail",), summary=None, draft=False, word_count=len(body.split()), removed=(), content_hash="",
    )  # fmt: skip


def test_search_doc_weights_title_words_and_keeps_what_a_result_shows() -> None:
    when = datetime(2016, 9, 8, 14, 1, tzinfo=UTC)
    body = "The ferry strike goes on. Harbour talks resume. " + "Other words fill this long article. " * 30
    article = make_article("Ferry strike", body, when)
    doc = search_doc(article, article_path(article))
    weights = dict(zip(doc.terms.split(), doc.weights, strict=True))
    assert int(weights["ferri"], 36) > int(weights["harbour"], 36) >= 1
    assert {"ana", "ruiz", "rail", "rt"} <= weights.keys() and "the" not in weights
    assert doc.terms.split() == sorted(weights)
    assert (doc.date, doc.year, doc.source, doc.source_name) == ("8 September 2016", 2016, "rt", "RT")
    assert doc.stemmer == "english" and ("stemmer", "english", "") in doc.facets()
    undated = search_doc(make_article("Ferry", "Text.", None), "undated/a/index.html")
    assert (undated.date, undated.year, undated.minute) == ("", 0, 0)


def test_the_stems_forgotten_when_too_many_are_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Ferries invested the investments; ferry talks. " * 3 + " ".join(f"word{i}s" for i in range(60))
    expected = term_counts(text, "english")
    monkeypatch.setattr(searchdocs, "STEMS_KEPT", 50)  # fewer than the text's words: forgotten at each call
    assert [term_counts(text, "english") for _ in range(3)] == [expected] * 3
    assert expected["ferri"] == 6 and expected["invest"] == 6 and "the" not in expected and expected["word7"] == 1


def test_a_word_stemmed_to_nothing_is_no_term() -> None:
    """Else the terms, split on spaces, are one fewer than their weights, and the weights slip onto other terms."""
    assert term_counts("छ नेपाल", "nepali").keys() == {"नेपाल"}
    article = dataclasses.replace(make_article("छ नेपाल", "छ नेपाल समाचार", None), language="ne")
    doc = search_doc(article, "undated/a/index.html")
    assert len(doc.terms.split()) == len(doc.weights) and not doc.terms.startswith(" ")
