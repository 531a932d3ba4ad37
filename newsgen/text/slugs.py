"""URL slugs: lowercase, ASCII where a transliteration exists, never a path."""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters that NFKD does not split into a base letter plus marks.
_LATIN = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
            "ye",
            "i",
            "yi",
            "g",
            "u",
        ],
        strict=True,
    )
)
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        [
            "a",
            "v",
            "g",
            "d",
            "e",
            "z",
            "i",
            "th",
            "i",
            "k",
            "l",
            "m",
            "n",
            "x",
            "o",
            "p",
            "r",
            "s",
            "s",
            "t",
            "y",
            "f",
            "ch",
            "ps",
            "o",
        ],
        strict=True,
    )
)
_TABLE = {**_LATIN, **_CYRILLIC, **_GREEK}
_TABLE = {k: ("" if v == "-" else v) for k, v in _TABLE.items()}
_SEPARATORS = re.compile(r"[\s\-_/.:;,–—|+&]+")
_DISALLOWED = re.compile(r"[^\w-]+")
MAX_LENGTH = 80
# A folder name may have 255 bytes; 80 characters of a four-byte script have 320. The rest is left for
# the "-2", "-3" a slug gets when two articles' pages would be one.
MAX_BYTES = 240


@functools.lru_cache(maxsize=65536)
def slugify(text: str, fallback: str = "article") -> str:
    """A URL-safe slug of ``text``: transliterated to ASCII where possible, other letters kept."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    if not folded.isascii():  # ASCII has no combining marks, nor anything to transliterate
        folded = "".join(_TABLE.get(char, char) for char in folded if not unicodedata.combining(char))
    slug = _SEPARATORS.sub("-", folded.replace("'", "").replace("’", ""))
    slug = _DISALLOWED.sub("", slug).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if len(slug) > MAX_LENGTH or (not slug.isascii() and len(slug.encode()) > MAX_BYTES):
        cut = slug[:MAX_LENGTH].encode()[:MAX_BYTES].decode(errors="ignore")  # ignore: a character cut in two
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug or fallback
