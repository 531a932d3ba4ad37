"""The search index's files: what they hold for a built site, and that they are a function of the documents."""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from trees import tree

from newsgen.archive.collect import article_path
from newsgen.config import SiteConfig
from newsgen.output import searchindex
from newsgen.output.searchdocs import SearchDoc
from newsgen.output.searchindex import INDEX_FOLDER, MAX_WORD_SHARDS, assign_ids, index_files, layout, needed_asset
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


def test_sample_site_index_holds_exactly_the_article_pages_and_the_standalone_ones(
    sample_site: tuple[Path, BuildReport],
) -> None:
    site, report = sample_site
    top, records = read_index(site)
    pages = {article_path(a) for a in (*report.articles, *report.standalone)}
    assert top["count"] == len(report.articles) + 1 == len(records)
    assert {record[0] for record in records.values()} == pages
    assert all((site / page).is_file() for page in pages)
    seed = next(r for r in records.values() if r[0].startswith("2016/09/08/russia-"))
    assert seed[2] == "8 September 2016" and seed[3] == "RT" and len(seed) == 4
    assert next(r for r in records.values() if r[0] == "about/index.html") == [
        "about/index.html", "About this archive", "", ""
    ]  # fmt: skip
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


def test_a_stemmer_comes_into_the_site_only_when_its_language_is_used() -> None:
    assert needed_asset("assets/search.js", set())
    assert needed_asset("assets/stemmers/german-stemmer.js", {"german"})
    assert not needed_asset("assets/stemmers/english-stemmer.js", {"german"})
    assert all(needed_asset(f"assets/stemmers/{name}", {"german", ""}) for name in ("base-stemmer.js", "LICENSE"))
    assert not any(needed_asset(f"assets/stemmers/{name}", {""}) for name in ("base-stemmer.js", "LICENSE"))


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
    monkeypatch.setattr(searchindex, "POSTINGS_PER_PASS", 20)
    assert list(index_files(docs)) == whole


def test_collisions_move_ids_to_the_next_free_number() -> None:
    hashes = {"a": 5, "b": 5, "c": 6, "d": 9, "e": 7, "f": 2}
    assert assign_ids(hashes) == {"a": 5, "b": 6, "c": 7, "e": 8, "d": 9, "f": 2}
    assert assign_ids({"a": 1, "b": 2}) == {"a": 1, "b": 2}


def test_layout_steps_only_at_powers_of_two() -> None:
    steps = [n for n in range(1, 70_000) if layout(n) != layout(n + 1)]
    assert steps == [2**k for k in range(6, 17)]
    assert layout(10_000).words == 2048 and layout(100_000).words == MAX_WORD_SHARDS
