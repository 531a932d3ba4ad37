"""site.yaml validation: defaults, per-source settings, and errors that name the key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from newsgen.config import CleaningSettings, MenuEntry, SiteConfig, config_from_mapping, load_config
from newsgen.errors import ConfigError
from newsgen.text.slugs import slugify

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_without_a_file() -> None:
    assert load_config(None) == SiteConfig()


def test_sample_site_config_loads() -> None:
    config = load_config(ROOT / "site.yaml")
    assert config.source_name("rt") == "RT"
    moscow = config.zone_for("rt").utcoffset(None)  # type: ignore[arg-type]
    assert moscow is None or moscow == timedelta(hours=3)
    assert config.dayfirst_for("harbour-gazette") is True
    assert config.dayfirst_for("rt") is None


def test_source_settings_fall_back_to_site_settings() -> None:
    config = config_from_mapping({"timezone": "Europe/Paris", "dayfirst": False, "sources": {"a": {"name": "A"}}})
    assert str(config.zone_for("a")) == "Europe/Paris"
    assert config.dayfirst_for("a") is False
    assert config.source_name("unknown") == "unknown"


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("beforeitsnews.com", "Beforeitsnews"),  # as `newsgen import` writes a row's domain
        ("beforeitsnews-com", "Beforeitsnews"),  # as its folder is named
        ("www.the-hill.com", "The Hill"),
        ("news.bbc.co.uk", "Bbc"),
        ("collectivelyconscious-net", "Collectivelyconscious"),
        ("rt", "rt"),  # a folder an editor named: not a domain
        ("harbour-gazette", "harbour-gazette"),
        ("The Harbour Gazette", "The Harbour Gazette"),
        ("Mr.Bean", "Mr.Bean"),
    ],
)
def test_an_unnamed_source_named_by_its_domain_reads_as_a_name(written: str, name: str) -> None:
    config = config_from_mapping({"sources": {"beforeitsnews-com": {"name": "Before It's News"}}})
    assert config.source_name(slugify(written), written) == (
        "Before It's News" if slugify(written) == "beforeitsnews-com" else name
    )
    assert SiteConfig().source_name(slugify(written), written) == name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"titel": "x"}, "unknown key 'titel'; did you mean 'title'?"),
        ({"sources": {"rt": {"tz": "UTC"}}}, "unknown key 'sources.rt.tz'"),
        ({"per_page": "ten"}, "per_page must be int, not str 'ten'"),
        ({"per_page": 0}, "per_page must be at least 1"),
        ({"pretty_urls": "yes"}, "pretty_urls must be bool, not str 'yes'"),
        ({"dayfirst": 1}, "dayfirst must be bool or null, not int 1"),
        ({"timezone": "Mars/Olympus"}, "timezone:"),
        ({"sources": {"rt": {"timezone": "Nowhere"}}}, "sources.rt.timezone:"),
        ({"sources": ["rt"]}, "sources must be a mapping"),
        (
            {"cleaning": {"near_duplicat": 0.5}},
            "unknown key 'cleaning.near_duplicat'; did you mean 'cleaning.near_duplicate'?",
        ),
        ({"cleaning": {"near_duplicate": 1.5}}, "cleaning.near_duplicate must be between 0 and 1, not 1.5"),
        (
            {"sources": {"a": {"cleaning": {"repeated_min_articles": 0}}}},
            "sources.a.cleaning.repeated_min_articles must be",
        ),
        ({"cleaning": {"shingle_words": "five"}}, "cleaning.shingle_words must be int, not str 'five'"),
        ({"duplicates": "drop-all"}, "duplicates must be 'drop' or 'keep'"),
        ({"feed_entries": 0}, "feed_entries must be at least 1"),
        ({"max_article_bytes": 0}, "max_article_bytes must be at least 1, not 0"),
        ({"feed_content": "excerpt"}, "feed_content must be 'full' or 'summary', not 'excerpt'"),
        ({"related_articles": 50}, "related_articles must be between 0 and 20"),
        ({"search": "on"}, "search must be bool, not str 'on'"),
        (["title"], "must be a mapping"),
        ({"base_url": "javascript:alert(1)//"}, "base_url must start with http:// or https://"),
        ({"sources": {"rt": {"url": "www.rt.com"}}}, "sources.rt.url must start with http:// or https://"),
        ({"menu": {"page": "about"}}, "menu must be a list, not dict"),
        ({"menu": ["about"]}, "menu.0 must be a mapping of keys to values, not str 'about'"),
        ({"menu": [{"page": "about"}, {"pages": "x"}]}, "unknown key 'menu.1.pages'; did you mean 'menu.1.page'?"),
        ({"menu": [{"title": "Home"}]}, "menu.0 must have either 'page' or 'url'"),
        ({"menu": [{"page": "about", "url": "/about/"}]}, "menu.0 must have either 'page' or 'url'"),
        ({"menu": [{"url": "/archive/"}]}, "menu.0.title must be given with a url"),
        (
            {"menu": [{"title": "x", "url": "javascript:alert(1)"}]},
            "menu.0.url must start with / (a path of this site), http:// or https://",
        ),
    ],
)
def test_bad_settings_name_the_key(data: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(data, "site.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("site.yaml: ")


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("title: ok\nsources:\n  rt: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:4: invalid YAML")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: A\nlanguage: en\ntitle: B\n", "site.yaml:3: duplicate key 'title' (first set on line 1)"),
        (
            "title: A\nsources:\n  rt:\n    name: RT\n    url: https://rt.com/\n    name: Russia Today\n",
            "site.yaml:6: duplicate key 'name' (first set on line 4)",
        ),
        ("sources:\n  rt: {}\n  bbc: {}\n  rt: {name: RT}\n", "site.yaml:4: duplicate key 'rt' (first set on line 2)"),
    ],
)
def test_duplicate_keys_name_both_lines(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{tmp_path}/{message}"


def test_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("title: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(path)


def test_missing_config_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file; create it or pass --config"):
        load_config(tmp_path / "nope.yaml")


def test_cleaning_settings_per_source_override_the_sites_key_by_key() -> None:
    config = config_from_mapping(
        {"cleaning": {"near_duplicate": 0.9}, "sources": {"a": {"cleaning": {"repeated_min_articles": 3}}}}
    )
    assert config.cleaning_for("a") == CleaningSettings(near_duplicate=0.9, repeated_min_articles=3)
    assert config.cleaning_for("b") == CleaningSettings(near_duplicate=0.9)
    assert config_from_mapping({"duplicates": "keep"}).duplicates == "keep"


def test_a_utf16_pair_in_escapes_is_joined_and_a_half_alone_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text('title: "Smile \\ud83d\\ude00"\n', encoding="utf-8")
    assert load_config(path).title == "Smile \U0001f600"
    path.write_text('sources:\n  wire:\n    name: "Wire \\udc00"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'sources\.wire\.name' holds half of a UTF-16 pair"):
        load_config(path)


def test_the_menu_is_a_list_of_pages_and_links() -> None:
    config = config_from_mapping({"menu": [{"page": "about"}, {"title": "Mother site", "url": "https://example.org/"}]})
    assert config.menu == (MenuEntry(page="about"), MenuEntry(title="Mother site", url="https://example.org/"))
    assert config_from_mapping({}).menu == ()
