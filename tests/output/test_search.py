"""newsgen's own search index: what it holds, that it is deterministic, and that an update equals a rebuild."""

from __future__ import annotations

import json
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trees import tree

from newsgen.archive.collect import article_path
from newsgen.config import SiteConfig
from newsgen.models import Article
from newsgen.output import search
from newsgen.output.search import (
    INDEX_FOLDER,
    Layout,
    SearchDoc,
    index_files,
    index_terms,
    layout,
    search_doc,
    stemmer_for,
    update_index,
    words,
)
from newsgen.pipeline import BuildReport, build_site

MakeContent = Callable[[Mapping[str, str | bytes]], Path]
Build = Callable[..., BuildReport]
STORY = "---\ntitle: Ferry returns\ndate: 2018-01-25\n---\n\nThe island ferry returns to its timetable.\n"


def read_index(site: Path) -> tuple[dict[str, object], dict[str, list[str]]]:
    """index.json, and every document's record by id."""
    top = json.loads((site / INDEX_FOLDER / "index.json").read_text(encoding="utf-8"))
    records: dict[str, list[str]] = {}
    for shard in sorted((site / INDEX_FOLDER / "docs").glob("*.json")):
        records.update(json.loads(shard.read_text(encoding="utf-8")))
    return top, records


def postings(site: Path, term: str) -> list[int]:
    """The ids the index lists for ``term``, decoded as search.js does."""
    top, _ = read_index(site)
    shards = top["shards"]
    assert isinstance(shards, dict)
    shard = zlib.crc32(term.encode()) & (shards["words"] - 1)
    entry = json.loads((site / INDEX_FOLDER / f"words/{shard}.json").read_text(encoding="utf-8")).get(term, "")
    ids, total = [], 0
    for gap in entry.split(" ")[1:]:
        total += int(gap, 16)
        ids.append(total)
    return ids


# --- the sample site -----------------------------------------------------------------------------------


def test_sample_site_index_holds_exactly_the_article_pages(sample_site: tuple[Path, BuildReport]) -> None:
    site, report = sample_site
    top, records = read_index(site)
    pages = {article_path(a) for a in report.articles}
    assert top["count"] == len(report.articles) == len(records)
    assert {record[0] for record in records.values()} == pages
    assert all((site / page).is_file() for page in pages)
    seed = next(r for r in records.values() if r[0].startswith("2016/09/08/russia-"))
    assert seed[2] == "8 September 2016" and seed[3] == "RT" and len(seed) == 4
    assert set(records) >= {f"{n:x}" for n in postings(site, "peskov")} and postings(site, "peskov")


def test_sample_site_facets_list_sources_and_years(sample_site: tuple[Path, BuildReport]) -> None:
    site, report = sample_site
    top, records = read_index(site)
    sources = top["sources"]
    assert isinstance(sources, list)
    assert {name for _, name, _ in sources} == {"RT", "The Harbour Gazette", "The Valley Courier", "Editors' notes"}
    assert sum(n for _, _, n in sources) == len(report.articles)
    years = dict(top["years"])  # type: ignore[call-overload]
    assert set(years) == {2016, 2017, 2018, 2019}
    assert sum(years.values()) == sum(1 for a in report.articles if a.published)
    rt = postings(site, "\x01source:rt")
    assert len(rt) == next(n for slug, _, n in sources if slug == "rt")
    assert {records[f"{n:x}"][3] for n in rt} == {"RT"}
    assert {records[f"{n:x}"][2][-4:] for n in postings(site, "\x01year:2016")} == {"2016"}


def test_sample_site_search_page_points_at_the_index(sample_site: tuple[Path, BuildReport]) -> None:
    site, _ = sample_site
    page = (site / "search/index.html").read_text(encoding="utf-8")
    assert 'data-index="data/index.json"' in page and 'data-site-root="../index.html"' in page
    assert '<script src="../assets/search.js"></script>' in page and "pagefind" not in page
    assert 'id="search-input" type="search"' in page and 'aria-live="polite"' in page
    seed = next(site.glob("2016/09/08/russia-*/index.html")).read_text(encoding="utf-8")
    assert "data-pagefind" not in seed


def test_search_false_builds_neither_index_nor_page(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    make_content({"a.md": STORY})
    report = build({"search": False})
    site = tmp_path / "_site"
    assert not (site / "search").exists()
    assert 'role="search"' not in (site / "index.html").read_text(encoding="utf-8")
    assert report.warnings == ()


def test_a_page_in_german_is_stemmed_by_german_rules(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    german = (
        "---\ntitle: Häuser am Hafen\ndate: 2018-01-25\nlanguage: de\n---\n\nDie Häuser des Hafens sind verkauft.\n"
    )
    make_content({"a.md": german, "b.md": STORY.replace("returns", "returns to the houses")})
    report = build()
    site = tmp_path / "_site"
    top, records = read_index(site)
    assert report.warnings == () and top["stemmers"] == [["english", 1], ["german", 1]]
    (found,) = postings(site, "haus")  # Häuser, Hauses: German rules; English ones would leave "häuser"
    assert records[f"{found:x}"][1] == "Häuser am Hafen" and postings(site, "häuser") == []
    assert len(postings(site, "hous")) == 1  # houses, by English rules
    stemmers = {p.name for p in (site / "assets/stemmers").iterdir()}
    assert stemmers == {"LICENSE", "base-stemmer.js", "english-stemmer.js", "german-stemmer.js"}


def test_two_builds_write_the_same_index(make_content: MakeContent, tmp_path: Path) -> None:
    content = make_content({f"s{i % 3}/story-{i}.md": STORY.replace("Ferry", f"Ferry {i}") for i in range(30)})
    for output in ("one", "two"):
        build_site(SiteConfig(), content, tmp_path / output)
    first, second = tree(tmp_path / "one" / INDEX_FOLDER), tree(tmp_path / "two" / INDEX_FOLDER)
    assert first == second
    shape = layout(30)
    assert len(first) == 1 + shape.words + shape.prefixes + shape.docs + shape.dates


def test_hostile_titles_stay_json_text(make_content: MakeContent, build: Build, tmp_path: Path) -> None:
    title = "Breaking <script>alert(1)</script> & news"
    body = "Body <img src=x onerror=alert(1)> text, long enough to be a paragraph of an article."
    make_content({"a.txt": f"---\ntitle: {json.dumps(title)}\ndate: 2018-01-25\n---\n\n{body}\n"})
    build()
    files = tree(tmp_path / "_site" / INDEX_FOLDER)
    assert not any(b"<" in data or b">" in data or b"&" in data for data in files.values())
    _, records = read_index(tmp_path / "_site")
    ((_, record),) = records.items()
    assert record[1] == title


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
def test_index_terms_in_english(text: str, expected: list[str]) -> None:
    assert index_terms(text, "english") == expected


def test_each_language_is_stemmed_by_its_own_rules() -> None:
    assert index_terms("Die Häuser des Hauses; Investitionen", stemmer_for("de")) == [
        "die",
        "haus",
        "des",
        "haus",
        "investition",
    ]
    assert index_terms("Häuser investments", "english") == ["häuser", "invest"]  # English rules leave German alone
    assert index_terms("Москва ЁЖИК ΟΔΟΣ", "") == ["москва", "ёжик", "οδοσ"]  # no stemmer: the words themselves
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
        *search.STEMMERS.values(),
        "base",
    }


def test_a_stemmer_comes_into_the_site_only_when_its_language_is_used() -> None:
    assert search.needed_asset("assets/search.js", set())
    assert search.needed_asset("assets/stemmers/german-stemmer.js", {"german"})
    assert not search.needed_asset("assets/stemmers/english-stemmer.js", {"german"})
    assert all(
        search.needed_asset(f"assets/stemmers/{name}", {"german", ""}) for name in ("base-stemmer.js", "LICENSE")
    )
    assert not any(search.needed_asset(f"assets/stemmers/{name}", {""}) for name in ("base-stemmer.js", "LICENSE"))


def test_stop_words_are_dropped_before_stemming() -> None:
    assert index_terms("the and of", "english") == [] and words("The and")[0] == "the"
    text = "Ares are the thes, ferries ferry Ferries bus buses boss is its"
    assert search._term_counts(text, "english") == Counter(index_terms(text, "english"))
    assert index_terms("ares are", "english") == ["are"]


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


# --- the index as a function of its documents ----------------------------------------------------------

VOCABULARY = "ferry harbour island rail strike talks peskov kremlin москва café 2016 x constructor __proto__".split()


def make_doc(path: str, version: int) -> SearchDoc:
    rng = random.Random(f"{path}/{version}")
    terms = sorted(set(rng.sample(VOCABULARY, rng.randint(0, 8))))
    source = rng.choice(["rt", "gazette", "courier"])
    return SearchDoc(
        path=path,
        title=rng.choice(["Ferry <script>", f"Title {version}", "Zürich & co"]),
        date="8 September 2016",
        minute=rng.randrange(0, 2**32),
        year=rng.choice([0, 2016, 2017, 2019]),
        source=source,
        source_name=rng.choice([source.title(), source.upper()]),
        stemmer=rng.choice(["english", "german", ""]),
        terms=" ".join(terms),
        weights="".join(rng.choice("123456789abcz") for _ in terms),
    )


def test_same_documents_in_any_order_same_files() -> None:
    docs = [make_doc(f"2016/09/{i:02d}/a/index.html", i) for i in range(40)]
    first = list(index_files(docs))
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    assert list(index_files(shuffled)) == first
    assert next(path for path, _ in first) == f"{INDEX_FOLDER}/index.json"
    with pytest.raises(ValueError, match="same path"):
        list(index_files([docs[0], docs[0]]))


def test_gathering_in_several_passes_gives_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [make_doc(f"p{i}/index.html", i) for i in range(60)]
    whole = list(index_files(docs))
    monkeypatch.setattr(search, "POSTINGS_PER_PASS", 20)
    assert list(index_files(docs)) == whole


def reference_ids(paths: set[str], bits: int) -> dict[str, int]:
    """Ids as the module docstring defines them, computed the plain way."""
    ids: dict[str, int] = {}
    last = -1
    for number, path in sorted((zlib.crc32(p.encode()) & ((1 << bits) - 1), p) for p in paths):
        last = ids[path] = max(number, last + 1)
    return ids


def tiny_layout(count: int) -> Layout:
    """Steps every doubling from two documents on, with an id space so small that hashes collide often."""
    scale = max(0, count - 1).bit_length()
    return Layout(
        id_bits=2 + scale, words=1 << max(1, scale), prefixes=2 << (scale > 2), docs=2, dates=1 << (scale > 3)
    )


Batch = list[tuple[int, bool, int]]  # (path number, delete?, version)
batches = st.lists(st.lists(st.tuples(st.integers(0, 14), st.booleans(), st.integers(0, 3)), max_size=4), max_size=12)


def run_batches(batch_list: list[Batch], paths: Callable[[int], str]) -> Iterator[tuple[bool, bool]]:
    """Applies each batch by update_index to the files of the index before it; yields (updated?, expected?)."""
    docs: dict[str, SearchDoc] = {}
    files = dict(index_files([]))
    for batch in batch_list:
        removed, added, seen = [], [], set()
        for number, delete, version in batch:
            path = paths(number)
            if path in seen:
                continue
            seen.add(path)
            if path in docs:
                removed.append(docs.pop(path))
            if not delete:
                docs[path] = make_doc(path, version)
                added.append(docs[path])
        before = {d.path for d in removed} | (docs.keys() - {d.path for d in added})
        after = set(docs)
        untouched = before & after - {d.path for d in removed} - {d.path for d in added}
        old_shape, new_shape = search.layout(len(before)), search.layout(len(after))
        old_ids, new_ids = reference_ids(before, old_shape.id_bits), reference_ids(after, new_shape.id_bits)
        possible = old_shape == new_shape and all(old_ids[p] == new_ids[p] for p in untouched)
        expected = dict(index_files(docs.values()))
        changes = update_index(removed, added, list(docs), files.get)
        if changes is None:
            files = expected
        else:
            for path, data in changes.items():
                if data is None:
                    files.pop(path, None)
                else:
                    files[path] = data
            assert files.keys() == expected.keys()
            for path, data in expected.items():
                assert files[path] == data, path
        yield changes is not None, possible


@settings(deadline=None, max_examples=60)
@given(batches)
def test_an_update_gives_the_files_of_a_full_index(batch_list: list[Batch]) -> None:
    for updated, possible in run_batches(batch_list, lambda n: f"20{n:02d}/01/01/story/index.html"):
        assert updated == possible


@settings(deadline=None, max_examples=60)
@given(batches)
def test_an_update_is_refused_only_when_the_layout_steps_or_an_id_must_move(batch_list: list[Batch]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "layout", tiny_layout)
        for updated, possible in run_batches(batch_list, lambda n: f"p{n}/index.html"):
            assert updated == possible


@pytest.mark.parametrize("few", [0, 1000])
def test_few_and_many_changes_to_one_list_give_the_same_files(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "FEW_CHANGES", few)  # every list changed one way, or the other
    monkeypatch.setattr(search, "_CHUNK", 2)
    rng = random.Random(few)
    batch_list = [[(rng.randrange(15), rng.random() < 0.3, rng.randrange(4)) for _ in range(4)] for _ in range(40)]
    outcomes = list(run_batches(batch_list, lambda n: f"20{n:02d}/01/01/story/index.html"))
    assert all(updated == possible for updated, possible in outcomes) and sum(u for u, _ in outcomes) > 30


def test_collisions_move_ids_to_the_next_free_number(monkeypatch: pytest.MonkeyPatch) -> None:
    hashes = {"a": 5, "b": 5, "c": 6, "d": 9, "e": 7, "f": 2}
    assert search.assign_ids(hashes) == {"a": 5, "b": 6, "c": 7, "e": 8, "d": 9, "f": 2}
    assert search.assign_ids({"a": 1, "b": 2}) == {"a": 1, "b": 2}


def test_an_update_refuses_an_index_that_is_not_as_expected() -> None:
    docs = [make_doc(f"p{i}/index.html", 1) for i in range(10)]
    files = dict(index_files(docs))
    paths = [d.path for d in docs]
    new = make_doc("p10/index.html", 1)
    assert update_index([], [new], [*paths, new.path], files.get) is not None
    assert update_index([], [new], [*paths, new.path], lambda path: None) is None  # nothing to read
    assert update_index([], [new], [*paths, new.path], lambda path: b"{" if "docs/" in path else files[path]) is None
    changed = make_doc("p3/index.html", 2)
    assert update_index([changed], [], paths[:3] + paths[4:], files.get) is None  # not what the index holds
    assert update_index([docs[3]], [], paths, files.get) is None  # removed, yet still current
    assert update_index([], [new], paths, files.get) is None  # added, yet not current
    assert update_index([], [docs[3]], paths, files.get) is None  # already there
    edit = make_doc("p3/index.html", 2)
    changes = update_index([docs[3]], [edit], paths, files.get)
    assert changes is not None and None not in changes.values()
    assert {**files, **changes} == dict(index_files([*docs[:3], edit, *docs[4:]]))
    assert update_index([docs[3]], [docs[3]], paths, files.get) == {}  # nothing changed, nothing to write


def test_layout_steps_only_at_powers_of_two() -> None:
    steps = [n for n in range(1, 70_000) if layout(n) != layout(n + 1)]
    assert steps == [2**k for k in range(6, 17)]
    assert layout(10_000).words == 2048 and layout(100_000).words == search.MAX_WORD_SHARDS
