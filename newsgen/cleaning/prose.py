"""Line features that tell the article's prose from page furniture, after jusText and boilerpipe.

Those extractors judge a block by its length, its share of stopwords (function words are rare in
menus and common in sentences), its share of link text, and whether it ends like a sentence. We have
text, not HTML, so URLs stand in for links; Title-Case ratio catches headlines and menu items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsgen.text.tokens import ascii_table

# The commonest English function words (jusText's list starts the same way); menus and widgets have few.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    said says one two many much may might must shall us""".split()
)
# Chinese and Japanese put no space between words: each of their characters counts as one (a word there is
# one to two characters), so that their sentences are as long as other languages' in every count made here.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+(?:['’][^\W\d_{_CJK}]+)*")
_ASCII_LETTER = ascii_table(re.compile(r"[^\W\d_]"))
_URL = re.compile(r"(?i)(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co|uk|info)\b\S*")
_TLD = re.compile(r"\.(?i:com|org|net|gov|edu|io|co|uk|info)\b")
_SENTENCE_END = re.compile(r"[.!?…:。！？][\"'\u201d\u2019)\]」』）]*$")

# "By Jane Doe", "By Jane Doe and John Roe | January 25, 2018", "von Max Muster": the header's byline.
BYLINE = re.compile(
    r"^\s*(?:written\s+)?(?:by|von|par|por|di|door|автор:?)\s+"
    r"(?P<names>[^\W\d][\w.'’\- ]{1,80}(?:(?:,|\band\b|&|\bund\b|\bet\b|\by\b|\bи\b)\s*[^\W\d][\w.'’\- ]{1,80})*)"
    r"\s*(?:[|,•·–—-]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\bund\b|\bet\b|\by\b|\bи\b)\s*", re.IGNORECASE)
_PARTICLES = frozenset("de da del della der den van von du le la al el bin ibn di dos das ter ten zu".split())


def byline_names(match: re.Match[str]) -> tuple[str, ...] | None:
    """The names a BYLINE match gives, or None when they do not read as names ("By the numbers: …").

    A name is one to five capitalised words (particles such as "van" or "de" aside), with no digits.
    """
    names = tuple(n.strip(" .") for n in NAME_SPLIT.split(match.group("names")) if n.strip(" ."))

    def is_name(name: str) -> bool:
        parts = name.split()
        return (
            1 <= len(parts) <= 5
            and not any(c.isdigit() for c in name)
            and all(p[0].isupper() or p.casefold() in _PARTICLES for p in parts)
        )

    return names if names and all(is_name(n) for n in names) else None


PROSE_MIN_WORDS = 8  # below this a line is a label, a heading or a button, whatever it says
PROSE_MIN_STOPWORDS = 0.2  # share of function words in an English sentence is rarely lower
LONG_LINE_WORDS = 30  # this long, a line is prose in any language even without our stopwords


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, with inner apostrophes; a Chinese or Japanese character each), as written."""
    if text.isascii() and "'" not in text:  # runs of letters: split in C
        return text.encode().translate(_ASCII_LETTER).decode().split()
    return _WORD.findall(text)


def stopword_density(text: str, found: Sequence[str] | None = None) -> float:
    """Share of the words that are function words: 0.3+ in running English, near 0 in menus."""
    found = words(text) if found is None else found
    return sum(1 for w in found if w.casefold() in STOPWORDS) / len(found) if found else 0.0


def link_density(text: str) -> float:
    """Share of the characters that belong to URLs: boilerpipe's link density, for plain text."""
    stripped = text.strip()
    if not stripped or not link_hint(stripped):  # most prose has no link: skip the costly scan
        return 0.0
    return sum(len(m) for m in _URL.findall(stripped)) / len(stripped)


def link_hint(text: str, tld: re.Pattern[str] = _TLD) -> bool:
    """Whether ``text`` has "://", "www." or a dot before a ``tld``: one of them is in every URL we look for.

    Cheaper than one case-insensitive regex for all three, which is tried at every character.
    """
    return "://" in text or "www." in text.lower() or bool(tld.search(text))


def title_case_ratio(text: str, found: Sequence[str] | None = None) -> float:
    """Share of the words of three or more letters that start with a capital: high in headlines and menus."""
    long = [w for w in (words(text) if found is None else found) if len(w) >= 3]
    return sum(1 for w in long if w[0].isupper()) / len(long) if long else 0.0


def ends_sentence(text: str) -> bool:
    """Whether the line ends as a sentence does (full stop, ?, !, …, or a colon before a list)."""
    return bool(_SENTENCE_END.search(text.strip()))


def reads_as_prose(text: str, found: Sequence[str] | None = None) -> bool:
    """A sentence or more of running text: long enough, few links, not a headline, like a sentence.

    ``found`` is ``words(text)``, when the caller has it already.
    """
    found = words(text) if found is None else found
    if len(found) < PROSE_MIN_WORDS or link_density(text) > 0.3:
        return False
    if len(found) >= LONG_LINE_WORDS:
        return True
    if title_case_ratio(text, found) > 0.7:  # "More Critical Reads You Need To Hear By Lisa Haven": a headline
        return False
    return ends_sentence(text) and (stopword_density(text, found) >= PROSE_MIN_STOPWORDS or len(found) >= 15)
