"""What one content file became: the record the per-file stages make and the corpus stages read."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from newsgen.cleaning.duplicates import EMPTY, Sketch
from newsgen.models import Article, ArticleMeta, Rejection, RemovedLine, by_fields
from newsgen.output.searchdocs import SearchDoc


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file's article (or why it was left out), with what the corpus-level stages need of it."""

    __reduce__ = by_fields

    result: ArticleMeta | Rejection  # the whole Article, or its metadata in a light record
    key: str = ""  # a hash of the article as parsed: pages that show it change when it does
    non_article: str | None = None  # why it reads as no article (index, error, bio page), if it does
    sketch: Sketch = EMPTY  # its near-duplicate sketch
    terms: str = ""  # the words related articles are found by (related.related_terms)
    search: SearchDoc | None = None  # the article as the search index sees it (when the site has search)
    topic: str = ""  # a hash of ``terms``, which the light record keeps instead
    dateline: int | None = None  # the line the date was read from (the light record has no removed lines)
    removed: tuple[RemovedLine, ...] = ()  # of a file rejected after cleaning: the lines the cleaner took

    @property
    def article(self) -> ArticleMeta:
        """The article, for records past the rejections (whole or light)."""
        assert isinstance(self.result, ArticleMeta), self.result
        return self.result

    @property
    def whole(self) -> Article:
        """The whole article, of a record as parsed (not a light one)."""
        assert isinstance(self.result, Article), self.result
        return self.result

    def light(self) -> Parsed:
        """This record without what the build cache keeps until a stage asks: body, removed lines, terms, search
        document. At 100,000 articles each kilobyte kept per article is 100 MB of the build's memory."""
        if not isinstance(self.result, Article):
            return self
        return dataclasses.replace(self, result=self.result.meta(), search=None, terms="")
