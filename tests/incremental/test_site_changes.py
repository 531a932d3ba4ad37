"""Changes the whole site shows (a template, a setting, the menu) and files beside articles, built in place.

An archive smaller than test_incremental's (these changes rewrite most pages; a file of its own so that the
test workers share the two), compared after each change with a build from scratch as there.
"""

from __future__ import annotations

import pytest
from test_incremental import BURST, Archive, burst_article, edit, new_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return new_archive(tmp_path_factory.mktemp("site-changes"), 30)


def test_files_beside_articles_added_changed_and_removed(archive: Archive) -> None:
    note = archive.content / "wire" / "gale-photo.md"
    note.write_text(burst_article(15).replace("Storm 15.", "Storm 15. ![The quay](photos/quay.png)"), encoding="utf-8")
    missing = [w.message for w in archive.check().warnings if w.kind == "missing-file"]
    assert missing == ["image 'photos/quay.png' not found: no file wire/photos/quay.png in the content folder"]
    (archive.content / "wire/photos").mkdir()
    (archive.content / "wire/photos/quay.png").write_bytes(b"\x89PNG one")
    assert not [w for w in archive.check().warnings if w.kind == "missing-file"]  # the page shows the copy
    page = archive.root / "_site" / BURST / "15/gale-warning-number-15-12/index.html"
    assert 'src="../../../../wire/photos/quay.png"' in page.read_text(encoding="utf-8")
    (archive.content / "wire/photos/quay.png").write_bytes(b"\x89PNG two, longer")
    archive.check()
    assert (archive.root / "_site/wire/photos/quay.png").read_bytes() == b"\x89PNG two, longer"
    (archive.content / "wire/photos/quay.png").unlink()
    archive.check()
    assert not (archive.root / "_site/wire/photos").exists()


def test_a_template_change(archive: Archive) -> None:
    archive.templates = archive.root / "templates"
    archive.templates.mkdir()
    (archive.templates / "_footer.html").write_text("<footer><p>Our own footer</p></footer>\n", encoding="utf-8")
    report = archive.check()
    assert "Our own footer" in (archive.root / "_site/index.html").read_text(encoding="utf-8")
    assert report.written >= len(list((archive.root / "_site").rglob("*.html")))  # every page shows the footer


def test_a_setting_change(archive: Archive) -> None:
    archive.settings["per_page"] = 7
    archive.check()
    archive.settings["title"] = "Another title"
    archive.check()


def test_pages_and_the_menu(archive: Archive) -> None:
    """A page added, linked from the menu, edited, retitled, joined by a ``layout: page`` file, and removed."""
    site, about = archive.root / "_site", archive.content / "pages" / "about.md"
    about.parent.mkdir()
    about.write_text("---\ntitle: About\n---\n\nWho keeps this archive.\n", encoding="utf-8")
    archive.check()
    assert "Who keeps" in (site / "about/index.html").read_text(encoding="utf-8")
    archive.settings["menu"] = [{"page": "about"}]
    report = archive.check()
    assert report.written >= len(list(site.rglob("*.html")))  # the menu is on every page
    edit(about, lambda text: text.replace("Who keeps", "Who has kept"))
    report = archive.check()
    assert "Who has kept" in (site / "about/index.html").read_text(encoding="utf-8")
    assert report.written < 40, report.written  # the page and the search index: the menu shows only its title
    edit(about, lambda text: text.replace("title: About", "title: About us"))
    report = archive.check()
    assert ">About us</a>" in (site / "index.html").read_text(encoding="utf-8")
    assert report.written >= len(list(site.rglob("*.html")))
    colophon = archive.content / "source-01" / "colophon.md"
    colophon.write_text("---\ntitle: Colophon\nlayout: page\ntags: [storm]\n---\n\nSet in a serif.\n", "utf-8")
    archive.check()
    assert (site / "colophon/index.html").is_file() and "Colophon" not in (site / "tags/storm/index.html").read_text()
    about.unlink()
    report = archive.check()
    assert not (site / "about").exists() and "site-menu" not in (site / "index.html").read_text(encoding="utf-8")
    assert [w.kind for w in report.site_warnings] == ["menu"]
    colophon.unlink()
    del archive.settings["menu"]
    archive.check()
