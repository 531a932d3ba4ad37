"""Saved web pages in: an ``.html`` file becomes a text page with front matter, through trafilatura.

Most scrapers and every web archive keep the page as HTML. The markup is what tells a menu from an
article, so the page is not flattened to text and cleaned line by line: trafilatura, the extractor
that scores best on such pages, takes the main text (as Markdown, so that headings, lists, tables and
block quotes survive, and links to web pages; images are left out) and the metadata (title, date by
htmldate from the page's address, metadata or visible dates, authors, canonical address, tags, description). The
result is the same record a scraped text file gives, front matter and lines, and goes through the
same stages: the repetition pass of its source, the header parser, the non-article test, the report.

Which text is the article is trafilatura's choice with its own settings, the one its published scores
are for: asked for links and emphasis as well, its text differs on one page in five of the labelled set
(a caption or a "back to top" link more, a paragraph less, words glued or dropped). That second extraction only
dresses the blocks it gives with the same words (``_dressed``).

Hostile or broken input is refused with a reason, never a crash or a hang: binary data, a frameset,
a page with no main text, a page that takes longer than ``TIME_LIMIT`` seconds to extract (the size
limit is the loader's ``max_article_bytes``).
"""

from __future__ import annotations

import contextlib
import html
import re
import signal
import threading
from collections.abc import Iterator
from copy import deepcopy
from typing import Any

from newsgen.errors import ContentError

TIME_LIMIT = 20.0  # seconds to extract one page: trafilatura takes milliseconds; lxml on a hostile page, longer
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # controls text never has (ESC aside)
_FRAMESET = re.compile(rb"(?i)<frameset\b")
_TAGS = 8  # a page's keywords can be a long list for search engines; its first few are its subjects
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_MARKUP = re.compile(r"\*\*|__")  # trafilatura's bold markers around a heading's or a line's text
# a line break of the page's source inside a text: a space in the browser, in Markdown an indent (code)
_SOURCE_BREAK = re.compile(r"[ \t]*\n\s*")
# a list item's or a heading's marker at a line's start ("12. ", "- ", "# ", ">"), before the character to escape
_BLOCK_START = re.compile(r"^(\s*(?:\d{1,9}(?=\.(?:\s|$))|(?=#{1,6}(?:\s|$)|[-+](?:\s|$)|>)))")
_ESCAPED = re.compile(r"\\([<~])")
_INLINE = frozenset("hi ref del code graphic lb".split())  # trafilatura's elements inside a line of text


_LINK = re.compile(r"\[([^\]]*)\]\((<[^>]*>|[^)\s]*)\)")  # [text](target), as trafilatura writes a link


def _web_link(found: re.Match[str]) -> str:
    """A link that leads to a web page, kept; any other (a relative path, javascript:, data:) is its text only."""
    target = found.group(2).strip("<>")
    return found.group(0) if re.match(r"https?://[^\s/]", target, re.IGNORECASE) else found.group(1)


class _TooSlow(Exception):
    pass


def saved_page(data: bytes, path: str) -> tuple[dict[str, Any], str, str | None]:
    """``html_page``, under the front matter a file may have ahead of the page (``newsgen import`` of a WARC
    writes the capture's address and time there), which overrides what the page's markup says."""
    if not data.startswith(b"---"):
        return html_page(data, path)
    from newsgen.sources.loader import split_front_matter

    end = data.find(b"\n---", 3)
    head = data[: end + 5] if end > 0 else data
    given, _, _ = split_front_matter(head.decode("utf-8", "replace"), path)
    found, body, date_from = html_page(data[len(head) :], path)
    return found | given, body, None if "date" in given else date_from


def html_page(data: bytes, path: str) -> tuple[dict[str, Any], str, str | None]:
    """The front matter and the Markdown body of a saved web page, and where its date was found (``date_from``);
    raises ContentError when it has no text."""
    head = data[:65536]
    page: bytes | str = data
    if len(_BINARY.findall(head)) > len(head) // 100:  # a few stray controls are a page's; this many, a file's
        text = _utf16(data)
        if text is None:
            raise ContentError(
                path, "not an HTML page: the file holds binary data; remove it or rename it", kind="html"
            )
        page, head = text, text[:65536].encode("utf-8", "replace")
    if b"<" not in head:
        raise ContentError(path, "not an HTML page: no markup in it; save it as .txt to read it as text", kind="html")
    from trafilatura.core import bare_extraction  # a second's import: HTML only
    from trafilatura.settings import Document, Extractor
    from trafilatura.utils import load_html

    def extract(formatting: bool) -> Document | None:
        options = Extractor(
            output_format="markdown",
            with_metadata=True,
            comments=False,
            tables=True,
            formatting=formatting,
            links=formatting,  # made absolute from the page's address; kept where they lead to the web (below)
        )
        found = bare_extraction(tree, options=options) if tree is not None else None  # each takes a copy
        return found if isinstance(found, Document) else None

    try:
        with _time_limit(TIME_LIMIT):
            tree = load_html(page)  # parsed once, for both extractions and the date's origin
            document, marked = extract(formatting=False), extract(formatting=True)
            document = document or marked
            body = _text(_dressed(document.body, marked.body if marked else None)) if document is not None else ""
            body = _LINK.sub(_web_link, body)
            # CommonMark's escapes that Python-Markdown lacks: "\<" would open a tag, "\~" show its "\"
            body = _ESCAPED.sub(lambda found: "&lt;" if found.group(1) == "<" else "~", body)
    except _TooSlow:
        raise ContentError(
            path, f"HTML page took over {TIME_LIMIT:.0f} s to extract; not read (is it a page at all?)", kind="html"
        ) from None
    if document is None or not body.strip():
        why = "a frameset, whose text is in its frames' own pages" if _FRAMESET.search(head) else "no main text found"
        raise ContentError(path, f"HTML page with no article in it: {why}", kind="no-text")
    date_from = _date_from(tree, document) if document.date else None
    lines = body.replace("\r", "").split("\n")
    front: dict[str, Any] = {}
    headline = next((i for i, line in enumerate(lines) if line.strip()), None)
    heading = _HEADING.match(lines[headline]) if headline is not None else None
    if heading and (title := _shown_line(heading.group(1))):
        # the page's own headline, above the text: the title (the metadata's is often the browser's)
        front["title"] = title
        del lines[headline]  # type: ignore[arg-type]
    elif document.title:
        front["title"] = document.title
    for key, value in (
        ("date", document.date),
        ("url", document.url),
        ("summary", document.description),
    ):
        if value:
            front[key] = value
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    if authors:
        front["authors"] = authors
    labels = [str(t).strip() for t in [*(document.categories or []), *",".join(document.tags or []).split(",")]]
    tags = list({t.casefold(): t for t in reversed(labels) if 0 < len(t) <= 40}.values())[::-1][:_TAGS]
    if tags:
        front["tags"] = tags
    return front, "\n".join(lines), date_from


def _date_from(tree: Any, document: Any) -> str:
    """Where htmldate found the page's date, asking its steps in its own order: ``url`` (the page's address),
    ``html metadata`` (meta tags, JSON-LD), else ``html text`` (a time element, a byline, a date in the text:
    its search, the least sure). ``html`` when this htmldate's steps are not the ones known here."""
    try:
        from htmldate.core import examine_header
        from htmldate.extractors import extract_url_date, json_search
        from htmldate.utils import Extractor
        from htmldate.validators import get_max_date, get_min_date

        options = Extractor(True, get_max_date(None), get_min_date(None), True, "%Y-%m-%d")  # as trafilatura asks
        if extract_url_date(document.url, options) == document.date:
            return "url"
        if (examine_header(tree, options) or json_search(tree, options)) == document.date:
            return "html metadata"
    except (ImportError, AttributeError, TypeError):
        return "html"
    return "html text"


def _dressed(body: Any, marked: Any) -> Any:
    """``body``, each of its blocks (paragraph, heading, list, quote, table) that ``marked`` gives with the very
    same text replaced by that one, with its links and emphasis."""
    if marked is None:
        return body
    twins: dict[str, Any] = {}
    for block in marked:
        twins.setdefault(_shown(block), block)
    body = deepcopy(body)
    for block in list(body):
        twin = twins.get(shown) if (shown := _shown(block)) else None
        if twin is not None:
            dressed = deepcopy(twin)
            dressed.tail = block.tail
            body.replace(block, dressed)
    return body


def _shown_line(markdown_line: str) -> str:
    """What a line of Markdown shows: a headline's text without its links' targets, emphasis or escapes
    ("\\[Update\\]" is "[Update]")."""
    import markdown
    import nh3

    return " ".join(html.unescape(nh3.clean(markdown.markdown(markdown_line), tags=set())).split())


def _shown(block: Any) -> str:
    """A block's words as trafilatura writes them: its markup can glue two ("about<hi>AI</hi>") or drop the
    text after an empty link (a heading's "#" anchor)."""
    from trafilatura.xml import xmltotxt

    return " ".join(_LINK.sub(r"\1", xmltotxt(block, False)).split())


def _text(body: Any) -> str:
    """The extracted tree as Markdown in which a block quote's lines start with "> " (trafilatura's own Markdown
    gives a quote as bare paragraphs).

    A quote inside a line (``<q>``) stays in its line: trafilatura breaks the line around it. A line that a
    line break (``<lb/>``) starts with "12. " or "- " is escaped as trafilatura escapes a paragraph's first:
    Markdown would make it a list item, numbered from 1 ("100. Ray Gillen" of a ranking shown as "1.")."""
    from trafilatura.utils import normalize_unicode
    from trafilatura.xml import xmltotxt

    body = deepcopy(body)
    for quote in list(body.iter("quote")):
        if quote.getparent() is not body and all(child.tag in _INLINE for child in quote):
            quote.tag = "hi"  # no rend: its words, unmarked
    for element in body.iter():
        if element.tag == "code" or any(a.tag == "code" for a in element.iterancestors()):
            continue
        if element.text:
            element.text = _SOURCE_BREAK.sub(" ", element.text)
        if element.tail:
            element.tail = _SOURCE_BREAK.sub(" ", element.tail)
        if element.tag == "lb" and element.tail and not any(a.tag == "cell" for a in element.iterancestors()):
            element.tail = _BLOCK_START.sub(r"\1\\", element.tail)
    parts: list[str] = []
    run = body.makeelement(body.tag, {})  # the elements since the last block quote
    run.text = body.text
    for child in list(body):
        if child.tag != "quote":
            run.append(child)
            continue
        tail, child.tail = child.tail, None
        quoted = xmltotxt(child, True).split("\n")
        parts += [xmltotxt(run, True), "\n".join(f"> {line}" if line.strip() else "" for line in quoted)]
        run = body.makeelement(body.tag, {})
        run.text = tail
    parts.append(xmltotxt(run, True))
    return normalize_unicode("\n\n".join(part for part in parts if part.strip())).strip()


def _utf16(data: bytes) -> str | None:
    """A page saved as UTF-16 (with its byte-order mark, or ASCII markup every other byte), else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif data[:2] == b"<\x00":
        codec = "utf-16-le"
    elif data[:2] == b"\x00<":
        codec = "utf-16-be"
    else:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table td th tr ul".split()
)


def left_out(data: bytes, body: str) -> list[str]:  # body: the main text and the title, as taken
    """The page's lines of text (one a block element) that its main text does not hold: what trafilatura
    took for menus, teasers, share buttons and footers, for ``newsgen explain`` to show."""
    import lxml.html  # trafilatura's own parser, installed with it

    try:
        root = lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return []
    for element in list(root.iter("script", "style", "noscript", "template")):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    kept = " ".join(_MARKUP.sub("", body).split())
    page = root.find("body")
    text = (page if page is not None else root).text_content()
    lines = dict.fromkeys(" ".join(line.split()) for line in text.split("\n"))
    return [line for line in lines if line and line not in kept]


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ``_TooSlow`` after ``seconds``: an alarm, where one can be set (the main thread, on Unix)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
