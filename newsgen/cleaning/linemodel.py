"""A learned judge of lines: how likely each line of a scraped page is to belong to the article.

Hand rules know the junk of the sites they were written for; on a site nobody has seen, what tells a
menu from a paragraph is the shape of the page, as jusText and boilerpipe found: where a line sits in
the page's mass of text, how long and sentence-like it and its block and neighbours are, how many
function words it has, how far it is from the densest run of prose. Each line gets those features,
computed from the page alone (never from one site's wording), and a small gradient-boosted tree
ensemble, trained by ``benchmarks/train_cleaner.py`` on labelled pages from hundreds of sites, turns
them into a probability. Prediction is numpy only: every tree is walked for all lines at once, one
depth level per step.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_FILE = Path(__file__).with_name("cleaner_model.json")

# Function words of the languages scraped news comes in most (English, German, French, Spanish, Italian,
# Portuguese, Dutch): common in sentences, rare in menus and buttons, whatever the page's language.
STOPWORDS = frozenset(
    """the of and to in a is that for it on with as was be by at are this from or an but not have has had were
    which their they its his her he she we you our will would can been more about also than other into after
    when who what there these said one all so if no up out new them just over time only
    der die das und ist zu den von mit sich des auf für nicht im dem ein eine als auch es an er hat aus bei sind
    wird nach wie noch um zum zur einer einem eines oder aber vor wir ich sie war werden kann dass über durch
    le la les de des et est en un une du dans pour que qui sur au pas par plus ne se ce il elle avec sont aux
    ont été son sa ses mais ou comme leur cette nous vous
    el los las del y una es por con para no al lo como más su sus pero fue ha ya este esta son entre
    il gli di e che è per non della si da alla sono anche nel più dei
    o os as do da em um uma com não mais dos das na ao foi
    het een van dat op te met voor zijn niet aan er ook bij""".split()
)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:][\"'\u201d\u2019)\]]*$")
_URL = re.compile(r"(?i)https?://|www\.|\.(?:com|org|net|de|fr)\b")
_LABEL = re.compile(r"^[\w ]{1,25}:\s")  # "Label: value"
_BULLETS = frozenset("•·-–*►▶")
_SEPARATORS = ("|", "»", "›", " > ")

FEATURES = (
    "log_chars", "log_words", "stopwords", "sentence_end", "commas", "digits", "upper", "capitalised",
    "punctuation", "word_length", "url", "separator", "copyright", "bullet", "at_sign", "colon_end", "label",
    "block_lines", "block_words_per_line", "block_chars", "block_stopwords", "mass", "rank", "from_start",
    "from_end", "prose_near", "prose_near_share", "prose_share", "words_near_3", "words_near_10", "short_near",
    "short_run", "repeated_in_page", "words_before", "words_after", "stopwords_before", "stopwords_after",
    "words_before_2", "words_after_2", "title_likeness", "from_title", "own_words", "own_words_near",
    "words_to_median", "longest_line",
)  # fmt: skip


def _line_features(text: str, tokens: list[str]) -> list[float]:
    chars = len(text)
    n = len(tokens)
    stop = sum(map(STOPWORDS.__contains__, map(str.lower, tokens))) / n if n else 0.0
    alnum = sum(map(str.isalnum, text))
    return [
        math.log1p(chars),
        math.log1p(n),
        stop,
        float(bool(_SENTENCE_END.search(text))),
        text.count(",") / (n + 1),
        sum(map(str.isdigit, text)) / chars,
        sum(map(str.isupper, text)) / chars,
        sum(t[0].isupper() for t in tokens) / n if n else 0.0,
        (chars - alnum - text.count(" ")) / chars,  # lines come with whitespace collapsed to single spaces
        sum(map(len, tokens)) / n if n else 0.0,
        float(bool(_URL.search(text))),
        float(any(s in text for s in _SEPARATORS)),
        float("©" in text or "(c)" in text.lower()),
        float(text[0] in _BULLETS),
        float("@" in text),
        float(text.endswith(":")),
        float(bool(_LABEL.match(text))),
    ]


def _window_mean(x: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.float64]:
    """Mean of ``x`` over each position's ±k neighbours (fewer at the edges)."""
    n = len(x)
    sums = np.concatenate(([0.0], np.cumsum(x)))
    at = np.arange(n)
    lo, hi = np.clip(at - k, 0, n), np.clip(at + k + 1, 0, n)
    return np.asarray((sums[hi] - sums[lo]) / (hi - lo), dtype=np.float64)


def _shifted(x: npt.NDArray[np.float64], step: int) -> npt.NDArray[np.float64]:
    """``x`` moved by ``step`` places (a line's neighbour's value), zero past the edges."""
    out = np.zeros_like(x)
    if step > 0:
        out[step:] = x[:-step]
    else:
        out[:step] = x[-step:]
    return out


def page_features(texts: Sequence[str], blocks: Sequence[int]) -> npt.NDArray[np.float64]:
    """One row of ``FEATURES`` for each of a page's non-blank lines.

    ``texts``: the lines, whitespace collapsed, none empty; ``blocks``: each line's block (lines with no
    blank line between them share one).
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    tokens = [_WORD.findall(t) for t in texts]
    own = np.array([_line_features(t, ws) for t, ws in zip(texts, tokens, strict=True)])
    log_chars, log_words, stop, ends = own[:, 0], own[:, 1], own[:, 2], own[:, 3]
    chars, words = np.expm1(log_chars), np.expm1(log_words)
    block = np.asarray(blocks, dtype=np.int64)
    block -= block[0]
    count = int(block[-1]) + 1
    block_lines = np.bincount(block, minlength=count)[block]
    block_words = np.bincount(block, weights=words, minlength=count)
    block_stop = np.bincount(block, weights=stop * words, minlength=count) / np.maximum(block_words, 1)
    block_chars = np.bincount(block, weights=chars, minlength=count)
    before = np.cumsum(chars)
    mass = (before - chars / 2) / before[-1]
    at = np.arange(n, dtype=np.float64)
    prose = words * stop * (0.5 + 0.5 * ends)
    near = _window_mean(prose, 5)
    short = (words < 5).astype(np.float64)
    run = np.empty(n)
    start = 0
    for end in range(1, n + 1):  # the run of short (or of long) lines each line is in, signed
        if end == n or short[end] != short[start]:
            run[start:end] = (end - start) * (1.0 if short[start] else -1.0)
            start = end
    seen = Counter(texts)
    title_words = {w.lower() for w in tokens[0] if len(w) > 2}
    likeness = np.zeros(n)
    if title_words:  # the headline repeats the page's first line (its <title>, where a scraper keeps it)
        for i in range(1, n):
            likeness[i] = len(title_words.intersection(map(str.lower, tokens[i]))) / len(title_words)
    title = int(np.argmax(likeness)) if likeness.max() > 0.5 else 0
    # The page's own function words: short words many of its long lines share (any language).
    # (each line's words in the order they come: which of equally common words make the 40 must not vary)
    long_lines = (ws for t, ws in zip(texts, tokens, strict=True) if t.count(" ") >= 7)
    common = Counter(w for ws in long_lines for w in dict.fromkeys(map(str.lower, ws)) if len(w) <= 4)
    function_words = {w for w, c in common.most_common(40) if c >= 3}
    own_share = np.array(
        [sum(map(function_words.__contains__, map(str.lower, ws))) / len(ws) if ws else 0.0 for ws in tokens]
    )
    columns = [
        np.log1p(block_lines),
        np.log1p(block_words[block] / block_lines),
        np.log1p(block_chars[block]),
        block_stop[block],
        mass,
        at / max(n - 1, 1),
        np.log1p(at),
        np.log1p(n - 1 - at),
        np.log1p(near),
        np.log1p(near) / math.log1p(near.max() + 1),
        np.log1p(prose) / math.log1p(prose.max() + 1),
        np.log1p(_window_mean(words, 3)),
        np.log1p(_window_mean(words, 10)),
        _window_mean(short, 5),
        np.sign(run) * np.log1p(np.abs(run)),
        np.array([seen[t] > 1 for t in texts], dtype=np.float64),
        _shifted(log_words, 1),
        _shifted(log_words, -1),
        _shifted(stop, 1),
        _shifted(stop, -1),
        _shifted(log_words, 2),
        _shifted(log_words, -2),
        likeness,
        mass - mass[title],
        own_share,
        _window_mean(own_share * words, 5) / (_window_mean(words, 5) + 1),
        log_words - math.log1p(float(np.median(words))),
        np.full(n, math.log1p(float(words.max()))),
    ]
    return np.hstack([own, np.column_stack(columns)])


@dataclass(frozen=True, slots=True)
class LineModel:
    """Gradient-boosted trees over ``FEATURES``, as flat arrays: all trees' nodes in one table.

    A leaf points to itself, so walking every tree ``depth`` steps from its root lands on its leaf.
    """

    feature: npt.NDArray[np.intp]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.intp]
    right: npt.NDArray[np.intp]
    value: npt.NDArray[np.float64]
    roots: npt.NDArray[np.intp]
    depth: int

    def scores(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The probability that each row's line belongs to the article."""
        if len(features) == 0:
            return np.zeros(0)
        rows = np.arange(len(features))[:, None]
        node = np.broadcast_to(self.roots, (len(features), len(self.roots)))
        for _ in range(self.depth):
            go_left = features[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(go_left, self.left[node], self.right[node])
        raw = self.value[node].sum(axis=1)
        return np.asarray(1.0 / (1.0 + np.exp(-raw)), dtype=np.float64)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineModel:
        if list(data["features"]) != list(FEATURES):
            raise ValueError("the model was trained on other features than this version of newsgen computes")
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots = []
        for tree in data["trees"]:
            base = len(feature)
            roots.append(base)
            for f, t, lo, hi, v in zip(
                tree["feature"], tree["threshold"], tree["left"], tree["right"], tree["value"], strict=True
            ):
                leaf = f < 0
                feature.append(0 if leaf else f)
                threshold.append(math.inf if leaf else t)
                left.append(len(feature) - 1 if leaf else base + lo)
                right.append(len(feature) - 1 if leaf else base + hi)
                value.append(v if leaf else 0.0)
        return cls(
            np.array(feature, dtype=np.intp),
            np.array(threshold),
            np.array(left, dtype=np.intp),
            np.array(right, dtype=np.intp),
            np.array(value),
            np.array(roots, dtype=np.intp),
            int(data["depth"]),
        )


@functools.cache
def default_model() -> LineModel:
    """The model that ships with newsgen (loaded once per process)."""
    return LineModel.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
