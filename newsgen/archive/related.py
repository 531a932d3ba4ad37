"""Related articles: TF-IDF cosine over each article's most distinctive words, via an inverted index.

Comparing every pair of 100,000 articles is 5 billion comparisons. Instead each article keeps only its
``TERMS_PER_DOC`` highest-weighted words, and each word keeps only the ``POSTINGS_PER_TERM`` articles in
which it weighs most. An article's candidates are the articles found in the postings of its own words,
scored by the dot product of the two sparse unit vectors: at most TERMS_PER_DOC × POSTINGS_PER_TERM
additions per article, so the whole pass is linear in the number of articles.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import filterfalse
from operator import itemgetter
from string import ascii_lowercase
from typing import TypeVar

from newsgen.models import Article, ArticleMeta, whole
from newsgen.text.tokens import ascii_table, blank_ascii

A = TypeVar("A", bound=ArticleMeta)  # an article, whole or not
TERMS_PER_DOC = 12
POSTINGS_PER_TERM = 20
TEXT_CHARS = 2000  # a news story's distinctive words are near its top; this bounds the cost of long ones
SAME_SOURCE_BONUS = 0.05  # between two equally similar articles, prefer the one from the same source
SHORTLIST_FACTOR = 4  # candidates re-ranked with the source bonus: limit × this
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_LETTER = ascii_table(_LETTER)
_STOPWORD_TEXT = """
    about above after again against all also although among and another any are around because been before being
    below between both but can could did does doing down during each either even ever every few for from further
    had has have having her here hers herself him himself his how however into its itself just last least less
    like made make many may more most much must near neither never new nor not now off often once one only other
    our ours out over own per said same say says she should since some still such than that the their theirs
    them themselves then there these they this those though three through thus too two under until upon very was
    were what when where whether which while who whom whose why will with within without would year years yet
    you your yours
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Every word of one or two letters that blanked ASCII can hold (casefolded: a to z only), and the stop words.
_SHORT_OR_STOPWORD = _STOPWORDS | {a + b for a in ["", *ascii_lowercase] for b in ascii_lowercase}


def related_articles(
    articles: Sequence[A], limit: int, chosen: Sequence[tuple[int, ...]] | None = None
) -> dict[str, tuple[A, ...]]:
    """For each article's source path, up to ``limit`` related articles, most related first.

    ``chosen``: the ``related_choice`` for these articles, when the build has it (its articles then
    need no body).
    """
    if limit <= 0:
        return {}
    if chosen is None:
        chosen = related_choice([related_terms(whole(a)) for a in articles], [a.source for a in articles], limit)
    return {a.source_path: tuple(articles[j] for j in chosen[i]) for i, a in enumerate(articles)}


def related_choice(terms: Sequence[str], groups: Sequence[str], limit: int) -> list[tuple[int, ...]]:
    """``related_articles`` as indices, from each article's ``related_terms`` and source: what a cache keeps.

    ``terms`` is gone through twice, one text at a time: it can be a view of a cache.
    """
    return related_by_vectors(term_vectors(terms), groups, limit)


def related_terms(article: Article) -> str:
    """The words an article is related to others by, in order, space-separated: computed as it is parsed."""
    return _terms(article_text(article))


def _terms(text: str) -> str:
    folded = text[:TEXT_CHARS].casefold()
    # Runs of letters, split in C: those of [^\W\d_]{3,} once the shorter go, with the stop words (in C for ASCII).
    found = blank_ascii(folded, _ASCII_LETTER, _LETTER).decode().split()
    if not folded.isascii():
        return " ".join(w for w in found if len(w) >= 3 and w not in _STOPWORDS)
    return " ".join(filterfalse(_SHORT_OR_STOPWORD.__contains__, found))


def article_text(article: Article) -> str:
    """Title twice (a headline word says more than a body word), then the start of the body."""
    body = " ".join(article.paragraphs)[:TEXT_CHARS]
    return f"{article.title} {article.title} {body}"


def related_indices(texts: Sequence[str], groups: Sequence[str], limit: int) -> list[tuple[int, ...]]:
    """For each text, the indices of up to ``limit`` others: most similar first, then same group by position.

    Equal scores keep the order in which candidates were found, which follows the input order:
    the result depends on the input alone, never on hashing.
    """
    return related_by_vectors(term_vectors([_terms(t) for t in texts]), groups, limit)


def related_by_vectors(vectors: Sequence[dict[str, float]], groups: Sequence[str], limit: int) -> list[tuple[int, ...]]:
    """``related_indices`` for texts already turned into unit vectors of their top terms."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings[term].append((i, weight))
    trimmed = {term: _strongest(entries) for term, entries in postings.items() if len(entries) > 1}
    by_group: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        by_group[group].append(i)
    position = {i: n for members in by_group.values() for n, i in enumerate(members)}

    out: list[tuple[int, ...]] = []
    postings_of = trimmed.get
    for i, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for j, other in postings_of(term, ()):
                scores[j] += weight * other
        scores.pop(i, None)
        # the source bonus only reorders near-equals: applying it to a shortlist is enough, and cheap
        group = groups[i]
        shortlist = heapq.nlargest(limit * SHORTLIST_FACTOR, scores.items(), key=itemgetter(1))
        shortlist.sort(key=lambda js: js[1] + (SAME_SOURCE_BONUS if groups[js[0]] == group else 0.0), reverse=True)
        chosen = [j for j, _ in shortlist[:limit]]
        if len(chosen) < limit:
            chosen += _nearest_in_group(by_group[groups[i]], position[i], set(chosen) | {i}, limit - len(chosen))
        out.append(tuple(chosen))
    return out


def term_vectors(terms: Sequence[str]) -> list[dict[str, float]]:
    """Each text's TERMS_PER_DOC heaviest words (of its ``related_terms``) by sublinear TF-IDF, as a unit vector.

    Words found in one text only cannot relate it to another; words in over half of them say nothing.
    """
    df: Counter[str] = Counter()
    for words in terms:  # two passes, each counting a text at a time: all counts at once is gigabytes
        df.update(set(words.split()))
    n = len(terms)
    idf = {term: math.log(n / d) for term, d in df.items() if d > 1 and (d <= n / 2 or n <= 3)}
    tf_weight = [0.0] + [1 + math.log(tf) for tf in range(1, 64)]
    vectors: list[dict[str, float]] = []
    for words in terms:
        count = Counter(words.split())
        weighted = [(term, tf_weight[min(tf, 63)] * idf[term]) for term, tf in count.items() if term in idf]
        # equal weights keep the text's own word order: deterministic without a second sort key
        top = heapq.nlargest(TERMS_PER_DOC, weighted, key=itemgetter(1))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors.append({term: w / norm for term, w in top if w > 0})
    return vectors


def _strongest(entries: list[tuple[int, float]]) -> list[tuple[int, float]]:
    if len(entries) <= POSTINGS_PER_TERM:
        return entries
    return heapq.nlargest(POSTINGS_PER_TERM, entries, key=itemgetter(1))


def _nearest_in_group(members: list[int], at: int, taken: set[int], wanted: int) -> list[int]:
    """Up to ``wanted`` members closest to position ``at`` (the archive is newest first: closest in time)."""
    picked: list[int] = []
    for step in range(1, len(members)):
        for n in (at - step, at + step):
            if 0 <= n < len(members) and members[n] not in taken:
                picked.append(members[n])
                if len(picked) == wanted:
                    return picked
    return picked
