"""The parse stage: a decoded, cleaned file becomes an Article (header, dates, body)."""

from __future__ import annotations

import dataclasses
import html
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any, TypeVar
from urllib.parse import urlsplit

import nh3

from newsgen.articles.links import local_links, sanitised
from newsgen.cleaning.cleaner import CleanResult
from newsgen.cleaning.prose import BYLINE, byline_names, reads_as_prose
from newsgen.config import SiteConfig
from newsgen.errors import ContentError
from newsgen.models import Article, ArticleMeta, Diagnostic, Line, LocalLink, RemovedLine, SourceFile, by_fields, whole
from newsgen.plugins import plugin_error
from newsgen.sources.loader import is_page, source_of
from newsgen.text.dates import YEARS, Dateline, date_from_filename, date_from_url, parse_date_value, parse_dateline
from newsgen.text.slugs import slugify
from newsgen.text.tokens import ascii_table, blank_ascii

HEADER_WINDOW = 6  # non-blank lines at the top that may hold kicker, title, byline, dateline
MAX_TITLE_CHARS = 250
FALLBACK_TITLE_CHARS = 120  # a title made from the text: one 5 MB "word" must not become a 5 MB title
_ATX = re.compile(r"^\s{0,3}#\s+(.*?)\s*#*\s*$")
_WORDS = re.compile(r"\w+(?:['’-]\w+)*")
_WORD_CHARACTER = re.compile(r"\w")
_ASCII_WORD = ascii_table(_WORD_CHARACTER)
_ASCII_WORD_OR_JOINT = ascii_table(re.compile(r"[\w'-]"))
_KINDS = bytes(c if c == ord(" ") else ord("j") if c in b"'-" else ord("a") for c in range(256))
_ASCII_KINDS = bytes(_KINDS[c] for c in _ASCII_WORD_OR_JOINT)  # both tables at once, for ASCII text


@dataclass(frozen=True, slots=True)
class Header:
    """What the top of an article told us, and which lines it used up."""

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return by_fields(self)  # through the constructor: compiled (hatch_build.py), its slots are not settable

    title: str | None
    dateline: Dateline | None
    authors: tuple[str, ...]
    used: tuple[RemovedLine, ...]


A = TypeVar("A", bound=ArticleMeta)  # an article, whole or not


def parse_article(source: SourceFile, cleaned: CleanResult, config: SiteConfig) -> Article:
    """Build the Article for ``source`` from its cleaned lines; raises ContentError if impossible."""
    fm = source.front_matter
    path = source.path
    warnings: list[Diagnostic] = list(source.warnings)
    if fm.get("draft") is not None and not isinstance(fm["draft"], bool):
        # a misspelt flag must not publish what its author meant to hold back
        raise ContentError(
            path, f"front matter 'draft' must be true or false, not {_preview(fm['draft'])}", kind="front-matter"
        )

    def warn(message: str, line: int | None = None, kind: str = "front-matter") -> None:
        warnings.append(Diagnostic(path, message, line, kind))

    source_key, source_name = source_of(fm, path, config)
    tz = config.zone_for(source_key)
    dayfirst = config.dayfirst_for(source_key)
    fm_title = _text_value(fm, "title", warn)
    header = read_header(cleaned.kept, tz=tz, dayfirst=dayfirst, known_title=fm_title, markdown=source.markup != "text")
    if header.dateline and header.dateline.note:
        warn(header.dateline.note, _line_of(header.used, "dateline"), "ambiguous-date")
    used_numbers = {r.number for r in header.used}
    body_lines = [line for line in cleaned.kept if line.number not in used_numbers]
    blocks = _blocks(body_lines, markdown=source.markup != "text")
    removed = list(cleaned.removed) + list(header.used)

    title = fm_title or header.title
    if blocks and title and _same_text(blocks[0][1], title):
        removed.append(RemovedLine(blocks[0][0], blocks[0][1], "title-repeat"))
        blocks = blocks[1:]
    elif title and not fm_title and source.markup == "text" and (headline := _headline(title, blocks)) is not None:
        title, at = headline  # the page's own headline, under its browser title: the title, and not a paragraph
        removed.append(RemovedLine(blocks[at][0], blocks[at][1], "title-repeat"))
        blocks = blocks[:at] + blocks[at + 1 :]
    elif title and not fm_title and source.markup == "text":
        title = _without_site_name(title, (source_key, source_name, _url_host(fm.get("url"))))
    summary = _text_value(fm, "summary", warn)
    if not blocks and not summary:
        if cleaned.removed and not any(line.text.strip() for line in body_lines):
            raise ContentError(
                path, "only boilerplate, no article text: every line was removed by the cleaner", kind="no-text"
            )
        raise ContentError(path, "no article text after the title; add the body below the title", kind="no-text")
    is_markdown = source.markup != "text"  # a saved web page's text is Markdown too
    # paragraphs are plain text (lead, word count, fallback title): Markdown loses its markup and raw HTML
    paragraphs = tuple(p for p in (_markdown_text(t) if is_markdown else t for _, t in blocks) if p)
    if not title:
        title = _fallback_title(path, paragraphs[0] if paragraphs else summary or "")
        warn(
            f"no title line found; using “{title}”. Put the title on the first line or in front matter 'title:'",
            kind="no-title",
        )

    stem = _stem(path)
    from_name = date_from_filename(stem, tz=tz)
    dateline_at = _line_of(header.used, "dateline")
    url = _url_value(fm, warn)
    from_url = date_from_url(url, tz=tz) if url else None
    page = _is_page(source)
    published: datetime | None = None
    updated: datetime | None = None
    date_from: str | None = None
    month_only = False
    if not page:  # a page is undated, whatever dates its text holds
        published = _front_matter_date(source, "date", tz, dayfirst, warn)
        date_from = (source.date_from or "front matter") if published else None
        if published is None and header.dateline:
            published, date_from = _in_years(header.dateline.value, path, "dateline", dateline_at), "dateline"
        if published is None and from_name:
            published, date_from = _in_years(from_name[0], path, "date in the file name", None), "file name"
        if published is None and from_url:
            (published, month_only), date_from = from_url, "url"
        if published is None:
            warn(
                "no date: no dateline near the top, no front matter 'date:', no date in the file name or url;"
                " listed as undated",
                kind="undated",
            )
        updated = _front_matter_date(source, "updated", tz, dayfirst, warn) or (
            _in_years(header.dateline.updated, path, "dateline's update", dateline_at) if header.dateline else None
        )

    fm_slug = _text_value(fm, "slug", warn)
    name_slug = from_name[1] if from_name else ""
    slug = slugify(fm_slug or name_slug or title, fallback="") or slugify(stem, fallback="article")
    if page:  # named by its file, as a reader would type it: pages/about.md is /about/
        slug = slugify(fm_slug or name_slug or stem, fallback="page")

    links: tuple[LocalLink, ...] = ()
    if is_markdown:
        gone = {r.number for r in removed}
        shown = [line for line in body_lines if line.number not in gone]
        found: list[tuple[str, bool]] = []
        seen = (lambda url, image: found.append((url, image))) if source.markup == "markdown" else None
        body_html = render_markdown("\n".join(line.text for line in shown), seen, config.plugins.markdown)
        links = local_links(found, path, shown)
    else:
        body_html = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    authors = _list_value(fm, "authors", warn) or header.authors
    return Article(
        source_path=path,
        slug=slug,
        title=title,
        published=published,
        updated=updated,
        dateline=header.dateline.text if header.dateline else None,
        lead=summary or (paragraphs[0] if paragraphs else ""),
        paragraphs=paragraphs,
        body_html=body_html,
        source=source_key,
        source_name=source_name,
        url=url,
        authors=tuple(authors),
        tags=tuple(_list_value(fm, "tags", warn)),
        summary=summary,
        draft=fm.get("draft") is True,
        word_count=_word_count(" ".join(paragraphs)),  # no word runs across a space
        removed=tuple(sorted(removed, key=lambda r: r.number)),
        content_hash=source.digest,
        markup=source.markup,
        warnings=tuple(warnings),
        date_from=date_from,
        month_only=month_only,
        language=_text_value(fm, "language", warn) or config.language,
        links=links,
        page=page,
    )


def _is_page(source: SourceFile) -> bool:
    """``is_page``, with a ``layout`` other than ``page`` or ``article`` refused (a page must not turn up in lists)."""
    layout = source.front_matter.get("layout")
    if layout is not None and layout not in ("page", "article"):
        line = source.front_matter_lines.get("layout")
        message = f"front matter 'layout' must be page or article, not {_preview(layout)}"
        raise ContentError(source.path, message, line, kind="front-matter")
    return is_page(source.front_matter, source.path)


def flag_future_dates(articles: Sequence[A], now: datetime, lines: Sequence[int | None] | None = None) -> list[A]:
    """Warn about dates after ``now``: usually a misread day/month order or a wrong zone.

    ``lines``: each article's ``dateline_line``, for articles that come without their removed lines.
    """
    out = []
    for n, article in enumerate(articles):
        if article.published is not None and article.published > now:
            message = f"date {article.published.isoformat()} is in the future; check the dateline or front matter"
            line = lines[n] if lines is not None else dateline_line(whole(article))
            warning = Diagnostic(article.source_path, message, line, "future-date")
            article = dataclasses.replace(article, warnings=(*article.warnings, warning))
        out.append(article)
    return out


def dateline_line(article: Article) -> int | None:
    """The line the article's date was read from, if the cleaner took a dateline out."""
    return next((r.number for r in article.removed if r.rule == "dateline"), None)


def read_header(
    lines: Sequence[Line], *, tz: Any, dayfirst: bool | None, known_title: str | None = None, markdown: bool = False
) -> Header:
    """Find kicker, title, byline and dateline among the first non-blank lines, in any order."""
    window = list(itertools.islice((line for line in lines if line.text.strip()), HEADER_WINDOW))
    title: str | None = None
    dateline: Dateline | None = None
    authors: tuple[str, ...] = ()
    used: list[RemovedLine] = []
    pending: list[Line] = []  # short lines above the title: kickers, section names
    for line in window:
        text = line.text.strip()
        found = (
            None if dateline else parse_dateline(text, tz=tz, dayfirst=dayfirst) or _labelled_date(text, tz, dayfirst)
        )
        byline = BYLINE.match(text)
        names = byline_names(byline) if byline else None
        if found:
            dateline = found
            authors = authors or names or ()
            used.append(RemovedLine(line.number, line.text, "dateline"))
        elif byline and names and not authors and (not byline.group("rest") or len(text) < 120):
            authors = names
            used.append(RemovedLine(line.number, line.text, "byline"))
        elif title is None:
            candidate = _title_text(text, markdown)
            if known_title is not None:
                if _same_text(candidate, known_title):
                    title = known_title
                    used.append(RemovedLine(line.number, line.text, "title"))
                    continue
                break  # the text starts right away: front matter carries the header
            substantial = _substantial(candidate)
            if substantial and pending and reads_as_prose(candidate):
                # a sentence is where the body starts: the short line above it was the title ("Harbour vote")
                title = _title_text(pending[-1].text.strip(), markdown)
                used.extend(RemovedLine(p.number, p.text, "kicker") for p in pending[:-1])
                used.append(RemovedLine(pending[-1].number, pending[-1].text, "title"))
                break
            if substantial:
                title = candidate
                used.extend(RemovedLine(p.number, p.text, "kicker") for p in pending)
                used.append(RemovedLine(line.number, line.text, "title"))
            elif len(pending) < 2 and len(candidate) <= 40:
                pending.append(line)
            else:
                break
        elif not any(r.rule == "title-repeat" for r in used) and _repeats_title(
            repeat := _title_text(text, markdown), title
        ):
            if known_title is None:  # "Storm closes the harbour" under its browser title, "… | The Gazette"
                title = repeat
            used.append(RemovedLine(line.number, line.text, "title-repeat"))  # scrapers often keep it twice
        else:
            break  # the body has begun
    return Header(title=title, dateline=dateline, authors=authors, used=tuple(used))


_TITLE_TAIL = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_NOT_NAME = re.compile(r"[\W_]+")


def _without_site_name(title: str, names: Iterable[str | None]) -> str:
    """A browser title without its site's name after the last separator: "Round tables | homify" of homify.de.

    Only a short last part that holds the site's name (its address's name, "homify" of "www.homify.de"),
    and only when the headline left has three words or more.
    """
    parts = _TITLE_TAIL.split(title)
    if len(parts) < 2:
        return title
    tail = _NOT_NAME.sub("", parts[-1].casefold())
    head = title[: title.rfind(parts[-1])].rstrip(" |–—-")
    labels = {_site_label(n) for n in names if n}
    if len(parts[-1].split()) <= 5 and len(head.split()) >= 3 and any(len(x) >= 4 and x in tail for x in labels):
        return head
    return title


def _site_label(name: str) -> str:
    """The name in a host or source key: "homify" of "www.homify.de", "backen-de" or "Backen.de"."""
    labels = [x for x in re.split(r"[.\-\s]+", name.casefold().removeprefix("www.")) if x]
    return _NOT_NAME.sub("", labels[0]) if labels else ""


def _url_host(url: object) -> str | None:
    return urlsplit(url).hostname if isinstance(url, str) and "://" in url else None


_META_PARTS = re.compile(r"\s*[|•·]\s*|\s+[–—-]\s+")
_LABEL_WORDS = 6  # "Ein Artikel von Pamela Sladky", "Naturschutz, BUND": a label beside a date, not a headline


def _labelled_date(text: str, tz: Any, dayfirst: bool | None) -> Dateline | None:
    """The date of a line of labels around it: "8. November 2021 | Aktuelles", "IT - 21. Januar 2022",
    "Swantje Schemmerling | 06.11.23". Such a line is the page's metadata, never its headline."""
    parts = [p for p in _META_PARTS.split(text) if p]
    if len(parts) < 2:
        return None
    for start in range(len(parts)):
        for end in range(len(parts), start, -1):  # the longest run of parts first: a date and its time
            rest = parts[:start] + parts[end:]
            if any(len(p.split()) > _LABEL_WORDS for p in rest):
                continue
            found = parse_dateline(" ".join(parts[start:end]), tz=tz, dayfirst=dayfirst)
            if found is not None:
                return found
    return None


def render_markdown(text: str, links: Callable[[str, bool], None] | None = None, extensions: Sequence[Any] = ()) -> str:
    """Markdown to HTML with raw HTML sanitised: hand-written articles may carry pasted scripts.

    ``links(url, image)`` is told of each image source and link (``links.sanitised``); ``extensions``: the
    site's plugins' Python-Markdown extensions, after newsgen's own.
    """
    import markdown  # here: a build of scraped text alone never imports it

    try:
        converted = markdown.markdown(text, extensions=["extra", "sane_lists", *extensions], output_format="html")
    except Exception as exc:
        if not extensions:
            raise
        raise plugin_error(", ".join(map(repr, extensions)), "a Markdown extension failed", exc) from exc
    return sanitised(converted, links)


def _markdown_text(block: str) -> str:
    """The visible text of one Markdown block; script and style contents are dropped, not shown."""
    import markdown  # as in render_markdown

    return _squash(html.unescape(nh3.clean(markdown.markdown(block), tags=set())))


def _blocks(lines: Iterable[Line], markdown: bool = False) -> list[tuple[int, str]]:
    """Paragraphs as (first line number, text): blank-line separated, or one per line if none are.

    In Markdown a code block stays one, as the page shows it: a fenced one with its blank lines, an indented
    one with its indent; else its lines would be read as Markdown ("1. und Regionalmeister" of a results
    table a list item, its "1." gone)."""
    lines = list(lines)
    filled = [i for i, line in enumerate(lines) if line.text.strip()]
    if not filled or len(filled) == filled[-1] - filled[0] + 1:  # no blank line between them: one per line
        return [(lines[i].number, _squash(lines[i].text)) for i in filled]
    runs: list[list[Line]] = []
    previous = -2
    fenced = False
    for i in filled:
        if i == previous + 1 or fenced:
            runs[-1].append(lines[i])
        else:
            runs.append([lines[i]])
        fenced ^= markdown and _FENCE.match(lines[i].text) is not None
        previous = i
    indent = [" " * 4 if markdown and _INDENTED.match(run[0].text) else "" for run in runs]  # code, kept code
    texts = [run[0].text if len(run) == 1 else " ".join(x.text for x in run) for run in runs]
    return [(run[0].number, i + _squash(t)) for run, i, t in zip(runs, indent, texts, strict=True)]


_FENCE = re.compile(r" {0,3}(```|~~~)")
_INDENTED = re.compile(r"( {4}|\t)")
# " | Site", " - Site", " – Section – Site": how a browser title adds the site to the headline.
_TITLE_PARTS = re.compile(r"\s+[|\-–—»:]{1,2}\s+")
_TITLE_REPEAT_BLOCKS = 3  # the headline is looked for in at least this many blocks, or the first half of them


def _headline(title: str, blocks: Sequence[tuple[int, str]]) -> tuple[str, int] | None:
    """The headline inside a browser title ("Storm closes the harbour | The Gazette") and the block where the
    page prints it again, above its text's middle (under menus the cleaner kept); None when there is none.

    Of its parts, the longest is the headline: a site's name may be printed too, as a logo's text."""
    headline = _headline_part(title)
    if headline is None:
        return None
    blocks = blocks[: max(_TITLE_REPEAT_BLOCKS, len(blocks) // 2)]
    return next(((headline, at) for at, (_, text) in enumerate(blocks) if _same_text(headline, text)), None)


def _headline_part(title: str) -> str | None:
    """The longest part of a browser title, when it has parts and that one two words or more."""
    parts = _TITLE_PARTS.split(title)
    headline = max(parts, key=len)
    return headline if len(parts) > 1 and len(headline.split()) >= 2 else None


def _repeats_title(text: str, title: str) -> bool:
    """Whether a line under the title is the title again, or the headline in a browser title."""
    return _same_text(text, title) or ((headline := _headline_part(title)) is not None and _same_text(headline, text))


def _word_count(text: str) -> int:
    """How many _WORDS ``text`` has, counted in C: its runs of word characters, less the joints between two
    of them (an apostrophe or hyphen with a word character on either side, as in "residents'-group")."""
    # Each byte a class: "a" of a word, "j" a joint, " " anything else (a joint joins "aja" only).
    if text.isascii():
        kinds = text.encode().translate(_ASCII_KINDS)
    else:
        kinds = blank_ascii(text.replace("’", "'"), _ASCII_WORD_OR_JOINT, _WORD_CHARACTER).translate(_KINDS)
    if not kinds:
        return 0
    import numpy as np  # counted as arrays: bytes.count of b" a" scans at 2 ns a byte, five times

    classes = np.frombuffer(kinds, np.uint8)
    word = classes == ord("a")
    runs = int(np.count_nonzero(word[1:] > word[:-1])) + int(word[0])
    if b"j" not in kinds:
        return runs
    joints = word[:-2] & (classes[1:-1] == ord("j")) & word[2:]
    return runs - int(np.count_nonzero(joints))


def _squash(text: str) -> str:
    """``" ".join(text.split())``: the text itself when its only spaces are single ones inside it, as most
    paragraphs are (every other character that ``split`` cuts at is one that ``isprintable`` refuses)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _same_text(a: str, b: str) -> bool:
    """Whether two texts have the same words, case aside (and have some)."""
    first = _joined_words(a.casefold())
    return bool(first) and first == _joined_words(b.casefold())


def _joined_words(text: str) -> str:
    """``" ".join(_WORDS.findall(text))``: in C when no apostrophe or hyphen can join two words."""
    if text.isascii() and "'" not in text and "-" not in text:
        return b" ".join(text.encode().translate(_ASCII_WORD).split()).decode()
    return " ".join(_WORDS.findall(text))


def _substantial(text: str) -> bool:
    if len(text) > MAX_TITLE_CHARS:  # checked first: the line may be megabytes long
        return False
    return len(_WORDS.findall(text)) >= 3 or sum(c.isalpha() for c in text) >= 12  # letters: only if need be


def _title_text(text: str, markdown: bool) -> str:
    if markdown:
        match = _ATX.match(text)
        if match:
            return match.group(1)
    return _squash(text)


def _fallback_title(path: str, first_paragraph: str) -> str:
    stem = _stem(path)
    words = re.sub(r"^\d{4}-?\d{2}-?\d{2}[-_]?", "", stem).replace("_", " ").replace("-", " ").split()
    if len(words) >= 2 and all(any(c.isalpha() for c in w) for w in words):
        return " ".join(words).capitalize()
    sentence = re.split(r"(?<=[.!?])\s", first_paragraph, maxsplit=1)[0]
    tokens = sentence.split()
    title = " ".join(tokens[:12])
    cut = len(tokens) > 12 or len(title) > FALLBACK_TITLE_CHARS
    return title[:FALLBACK_TITLE_CHARS].rstrip() + ("…" if cut else "")


def _stem(path: str) -> str:
    """``PurePosixPath(path).stem``, without pathlib for a path that ends in a file name."""
    name = path.rpartition("/")[2]
    if not name or name == ".":
        return PurePosixPath(path).stem
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _text_value(fm: Any, key: str, warn: Any) -> str | None:
    value = fm.get(key)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return _squash(str(value)) or None
    warn(f"front matter '{key}' must be text, not {type(value).__name__}; ignored")
    return None


def _list_value(fm: Any, key: str, warn: Any) -> list[str]:
    value = fm.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [_squash(str(v)) for v in value if str(v).strip()]
    warn(f"front matter '{key}' must be a list of names or a comma-separated string; ignored")
    return []


def _url_value(fm: Any, warn: Any) -> str | None:
    value = _text_value(fm, "url", warn)
    if value is None:
        return None
    if re.match(r"https?://[^\s/]+", value, re.IGNORECASE):
        return value
    warn(f"front matter 'url' must start with http:// or https://, not {value[:60]!r}; ignored")
    return None


def _front_matter_date(source: SourceFile, key: str, tz: Any, dayfirst: bool | None, warn: Any) -> datetime | None:
    fm = source.front_matter
    if fm.get(key) is None:
        return None
    value = parse_date_value(fm[key], tz=tz, dayfirst=dayfirst)
    if value is None:
        shown = _preview(fm[key])
        warn(f"front matter '{key}: {shown}' is not a date I can read; use e.g. 2018-01-25 or 2018-01-25 16:17")
    return _in_years(value, source.path, f"front matter '{key}'", source.front_matter_lines.get(key))


def _in_years(value: datetime | None, path: str, where: str, line: int | None) -> datetime | None:
    """``value``, unless its year has other than four digits: then the file is rejected, at that line."""
    if value is None or value.year in YEARS:
        return value
    raise ContentError(
        path,
        f"the {where} has the year {value.year}; years run from {YEARS[0]} to {YEARS[-1]} (a digit missing?)",
        line,
        "front-matter" if where.startswith("front matter") else "bad-date",
    )


def _preview(value: object) -> str:
    """A short quote of a front matter value; YAML aliases can nest a list to billions of items."""
    if isinstance(value, (str, int, float, bool, date)):
        text = str(value)
        return text if len(text) <= 60 else text[:60] + "…"
    return f"a {type(value).__name__}"


def _line_of(removed: Sequence[RemovedLine], rule: str) -> int | None:
    return next((r.number for r in removed if r.rule == rule), None)
