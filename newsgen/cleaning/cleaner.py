"""Per-file boilerplate removal: an ordered registry of named line rules.

Scrapers leave icon names, share buttons, player timestamps, teasers and credits between the
paragraphs. Each rule judges one line from its features (length, punctuation, links, position,
neighbours), as jusText and boilerpipe do, and every removal is recorded with the rule's name so
`newsgen explain` can say why a line went. Lines repeated across a site are a later, corpus-level stage.
"""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING, Any

from newsgen.cleaning.prose import BYLINE, link_hint, reads_as_prose
from newsgen.cleaning.sitewide import SourceProfile, zeroed_lines
from newsgen.config import CleaningSettings
from newsgen.models import Line, RemovedLine, SourceFile, by_fields
from newsgen.plugins import CleanerRule
from newsgen.text.dates import parse_dateline

if TYPE_CHECKING:
    from newsgen.cleaning.linemodel import LineModel

_NEAR_LINES, _NEAR_FRACTION = 5, 0.15  # "near" an edge: within 5 non-blank lines or 15% of them, whichever is more


class _Memo:
    """What rules ask of a file's lines again and again, worked out once per file: contexts, repetition, prose."""

    __slots__ = ("contexts", "prose", "repeats")

    def __init__(self) -> None:
        self.contexts: dict[int, LineContext] = {}
        self.repeats: dict[int, int] = {}
        self.prose: dict[int, bool] = {}


@dataclass(frozen=True, slots=True)
class LineContext:
    """One line seen with its whole file, so rules can use position and neighbours."""

    lines: tuple[Line, ...]  # all lines of the file, blank ones included
    index: int  # position of this line in `lines`
    removed: Set[int] = frozenset()  # indices already removed: block rules look at their neighbours' fate
    nonblank: tuple[int, ...] = ()  # indices of the non-blank lines; derived from `lines` when left empty
    profile: SourceProfile | None = None  # what the file's source repeats; None when it is judged alone
    stripped: tuple[str, ...] = ()  # every line's text, stripped; derived from `lines` when left empty
    memo: _Memo = field(default_factory=_Memo, repr=False, compare=False)  # shared by the file's contexts
    # Features every rule reads, so worked out once, when the context is made:
    text: str = field(init=False, repr=False, compare=False)  # the line without surrounding whitespace
    word_count: int = field(init=False, repr=False, compare=False)  # whitespace-separated tokens: the cheapest feature
    rank: int = field(
        init=False, repr=False, compare=False
    )  # 0-based among the non-blank lines (a blank: its successor's)

    def __post_init__(self) -> None:
        if not self.stripped:  # strip_boilerplate passes these in, computed once per file
            object.__setattr__(self, "stripped", tuple(ln.text.strip() for ln in self.lines))
        if not self.nonblank:
            object.__setattr__(self, "nonblank", tuple(i for i, t in enumerate(self.stripped) if t))
        text = self.stripped[self.index]
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "word_count", len(text.split()))
        object.__setattr__(self, "rank", bisect_left(self.nonblank, self.index))

    @property
    def position(self) -> float:
        """Relative position among the non-blank lines: 0.0 first, 1.0 last."""
        last = len(self.nonblank) - 1
        return min(self.rank / last, 1.0) if last > 0 else 0.0

    @property
    def is_near_start(self) -> bool:
        """Within the first few non-blank lines, where page chrome sits above the article."""
        return self.rank < max(_NEAR_LINES, _NEAR_FRACTION * len(self.nonblank))

    @property
    def is_near_end(self) -> bool:
        """Within the last few non-blank lines, where players, prompts and credits pile up."""
        return len(self.nonblank) - 1 - self.rank < max(_NEAR_LINES, _NEAR_FRACTION * len(self.nonblank))

    def neighbour(self, step: int) -> LineContext | None:
        """The |step|-th non-blank line before (step < 0) or after (step > 0) this one, if any."""
        rank = self.rank
        on_line = rank < len(self.nonblank) and self.nonblank[rank] == self.index
        target = rank + step - (1 if step > 0 and not on_line else 0)
        if step == 0 or not 0 <= target < len(self.nonblank):
            return None
        return self.at(self.nonblank[target])

    def at(self, index: int) -> LineContext:
        """The context of another line of the same file (made once, then shared)."""
        contexts = self.memo.contexts
        if (ctx := contexts.get(index)) is None:
            ctx = contexts[index] = LineContext(
                self.lines, index, self.removed, self.nonblank, self.profile, self.stripped, self.memo
            )
        return ctx

    @property
    def previous_text(self) -> str:
        """The previous non-blank line, stripped ('' at the start)."""
        return prev.text if (prev := self.neighbour(-1)) else ""

    @property
    def next_text(self) -> str:
        """The next non-blank line, stripped ('' at the end)."""
        return nxt.text if (nxt := self.neighbour(1)) else ""


@dataclass(frozen=True, slots=True)
class Rule:
    """A named test for boilerplate lines; the name is what `RemovedLine.rule` records."""

    name: str  # kebab-case
    description: str  # one line, for docs and `newsgen explain`
    matches: Callable[[LineContext], bool]


class RuleRegistry:
    """Rules in priority order (highest first, ties by registration order), addressable by name."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, int, Rule]] = {}
        self._added = 0

    def register(self, rule: Rule, priority: float) -> None:
        """Add `rule`; one with the same name is replaced, so a site can override a built-in."""
        self._added += 1
        self._entries[rule.name] = (priority, self._added, rule)

    def deregister(self, name: str, strict: bool = True) -> None:
        """Remove the rule called `name`; KeyError if there is none, unless `strict` is False."""
        if strict or name in self._entries:
            del self._entries[name]

    def names(self) -> list[str]:
        """Rule names in the order they are tried."""
        return [rule.name for rule in self]

    def __getitem__(self, name: str) -> Rule:
        return self._entries[name][2]

    def __iter__(self) -> Iterator[Rule]:
        return iter([e[2] for e in sorted(self._entries.values(), key=lambda e: (-e[0], e[1]))])

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, item: object) -> bool:
        name = item.name if isinstance(item, Rule) else item
        return isinstance(name, str) and name in self._entries


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The lines that survived (blank ones included, in order) and the removed ones, with why."""

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return by_fields(self)  # through the constructor: compiled (hatch_build.py), its slots are not settable

    kept: tuple[Line, ...]
    removed: tuple[RemovedLine, ...]


MAX_BOILERPLATE_CHARS = 4000
_REACH = 40  # the farthest any rule looks from its line, in non-blank lines


def strip_boilerplate(
    lines: Sequence[Line],
    rules: RuleRegistry | None = None,
    profile: SourceProfile | None = None,
    signature: str | None = None,
) -> CleanResult:
    """Remove boilerplate: each non-blank line goes to the first rule that matches it.

    ``profile`` is what the file's source repeats (see `sitewide`); without it, the file is judged alone.
    ``signature``: the file's ``folded_signature`` under ``profile``, when the caller has it: its lines'
    repeat levels are read there, not worked out again line by line.
    """
    ordered = list(_default_order() if rules is None else rules)
    # A line every rule kept can only lose its place to a rule that looks at its neighbours' fate.
    again = [r for r in ordered if r.matches not in _BLIND_TO_REMOVALS]
    all_lines = tuple(lines)
    stripped = tuple(ln.text.strip() for ln in all_lines)
    nonblank = tuple(i for i, t in enumerate(stripped) if t)
    # Widgets are short; a line of many kilobytes is text (or garbage) that no rule should scan.
    pending = [i for i in reversed(nonblank) if len(stripped[i]) <= MAX_BOILERPLATE_CHARS]
    decided: dict[int, str] = {}
    memo = _Memo()
    if profile is not None and signature is not None:
        memo.repeats.update(zip(nonblank, signature_levels(signature, len(nonblank)), strict=True))
    rank = {index: rank for rank, index in enumerate(nonblank)}
    tried = ordered
    while pending:  # block rules depend on their neighbours' fate: look again near what just went
        fresh = []
        for i in pending:  # from the end, so a trailing run resolves in few passes
            if (ctx := memo.contexts.get(i)) is None:
                ctx = memo.contexts[i] = LineContext(all_lines, i, decided.keys(), nonblank, profile, stripped, memo)
            rule = next((r for r in tried if r.matches(ctx)), None)
            if rule is not None:
                decided[i] = rule.name
                fresh.append(rank[i])
        # Only a line within reach of a new removal can change its verdict (rules look 40 lines away at most).
        pending = [i for i in pending if i not in decided and any(abs(rank[i] - r) <= _REACH for r in fresh)]
        tried = again
    kept = tuple(ln for i, ln in enumerate(all_lines) if i not in decided)
    removed = tuple(RemovedLine(all_lines[i].number, all_lines[i].text, decided[i]) for i in sorted(decided))
    return CleanResult(kept, removed)


_HEADER_ABOVE_BODY = 3  # at most this many lines above the first article line are the header's: title, dateline, byline
_BODY_WORDS = 8  # the article begins at a line the model keeps with this many words
# The model judges a page that still has its furniture: at least _FURNITURE lines the rules kept around the
# article (above its first line and below its last), _ABOVE of them above it (a menu, a breadcrumb). Text a
# scraper already extracted has none left once the rules have run, and there the model's choices are a
# list's items or a table's rows: ungated, it took 21.5% of the body lines of the FakeNewsCorpus gold set.
# Chosen on that corpus (no body line lost, none of its 184 articles judged); the model stays on for 93% of
# the 884 pages of unseen sites.
_FURNITURE = 20
_ABOVE = 2
# A page's first line, when the rules kept it and it has this many words, is left for the header parser: a
# scraper that saves whole pages puts the browser title there ("Storm closes the harbour | The Gazette"), the
# header parser takes the headline from it (or finds it printed again below the menus) and drops the copy. Judged
# like any other line, it went with the menus far above the article, and the title became whatever the model
# kept first ("Video", "0 Comment(s)", a date): of the 884 labelled pages, 375 had a title from the page's own
# title, 859 with this.
_TITLE_WORDS = 3


def judge_lines(
    lines: Sequence[Line], cleaned: CleanResult, threshold: float, model: LineModel | None = None
) -> CleanResult:
    """Remove, of the lines the rules kept, those the line model thinks are not the article's.

    Only on a page that still has its furniture around the lines where the model finds the article
    (``_FURNITURE``, ``_ABOVE``). The model sees the whole page (features of position and
    neighbours are the page's, rules or not). The lines just above where it finds the article begin, and the
    page's first line (``_TITLE_WORDS``), are left for the header parser: a title or a dateline is short
    and alone, as page furniture is, and is the article's all the same.
    """
    if threshold <= 0:
        return cleaned
    from newsgen.cleaning.linemodel import default_model, page_features  # numpy: only when the model is asked

    model = model or default_model()
    stripped = [" ".join(ln.text.split()) for ln in lines]
    nonblank = [i for i, t in enumerate(stripped) if t]
    if len(nonblank) <= _FURNITURE:  # too short to have furniture around an article (and the model's cost spared)
        return cleaned
    blocks, block = [], 0
    for previous, i in zip([nonblank[0], *nonblank], nonblank, strict=False):
        block += i > previous + 1
        blocks.append(block)
    scores = model.scores(page_features([stripped[i] for i in nonblank], blocks))
    gone = {r.number for r in cleaned.removed}
    kept = [(i, float(score)) for i, score in zip(nonblank, scores, strict=True) if lines[i].number not in gone]
    article = [k for k, (i, score) in enumerate(kept) if score >= threshold and len(stripped[i].split()) >= _BODY_WORDS]
    if not article:  # no line reads as the article's: a listing or a stub, for the non-article test to judge
        return cleaned
    body = article[0]
    if body < _ABOVE or body + len(kept) - 1 - article[-1] < _FURNITURE:  # extracted text: left to the rules
        return cleaned
    header = _header_above(body, [stripped[i] for i, _ in kept])
    if kept[0][0] == nonblank[0] and len(stripped[nonblank[0]].split()) >= _TITLE_WORDS:
        header.add(0)  # the page's <title>, which a scraper that saves whole pages puts first
    judged = [
        # the score rounded down, so that it reads as below the threshold it fell under
        RemovedLine(lines[i].number, lines[i].text, "line-model", math.floor(score * 1000) / 1000)
        for k, (i, score) in enumerate(kept)
        if score < threshold and k not in header
    ]
    if not judged:
        return cleaned
    out = {r.number for r in judged}
    removed = tuple(sorted((*cleaned.removed, *judged), key=lambda r: r.number))
    return CleanResult(tuple(ln for ln in cleaned.kept if ln.number not in out), removed)


def _header_above(body: int, texts: Sequence[str]) -> set[int]:
    """The lines just above the article's first line that the header parser reads: datelines and bylines,
    and the one line above them, where the title stands."""
    header: set[int] = set()
    for k in range(body - 1, max(body - 1 - _HEADER_ABOVE_BODY, -1), -1):
        header.add(k)
        if not (BYLINE.match(texts[k]) or parse_dateline(texts[k], tz=UTC) is not None):
            break
    return header


_Test = Callable[[LineContext], bool]

# --- line features (\u2013 \u2014 en/em dash, \u2019 \u201d closing quotes, \u2039 \u203a angle quotes)
_URL = re.compile(
    r"(?i)(?:https?://|www\.)\S+"
    r"|(?<![@\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|info|io|co|uk|us|de|ru|tv|news|me)\b(?:/\S*)?",
)
_SENTENCE_END = re.compile(r"[.!?…][\"'\u201d\u2019)\]]*$")
_TLD = re.compile(r"\.(?i:com|org|net|edu|gov|info|io|co|uk|us|de|ru|tv|news|me)\b")  # _URL's domains
_FIELD = re.compile(r"\S+(?:\s\S+)?:\s")  # "Label: value"


def _has_url(text: str) -> bool:
    return link_hint(text, _TLD) and bool(_URL.search(text))


def _is_title_like(ctx: LineContext) -> bool:
    """Headline-ish: short, no closing full stop, not a `Label: value` field, no link."""
    text = ctx.text
    if not 1 <= ctx.word_count <= 20 or text.endswith((".", ",", ";", ":")):
        return False
    return not _FIELD.match(text) and not _has_url(text)


def _near(ctx: LineContext) -> list[LineContext]:
    return [n for n in (ctx.neighbour(-1), ctx.neighbour(1)) if n is not None]


def _under_heading(ctx: LineContext, heading: _Test, fits: _Test) -> bool:
    """Whether lines that `fit` lead up from this one to a `heading`: an item of the list or block under it."""
    for step in range(1, 11):
        prev = ctx.neighbour(-step)
        if prev is None or heading(prev):
            return prev is not None
        if not fits(prev):
            return False
    return False


# --- icon-run ---------------------------------------------------------------------------------
_UI_TOKEN = re.compile(r"[a-z0-9-]*icon[a-z0-9-]*|chevron|(?:fa|glyphicon|ico|btn|svg)-[a-z0-9-]+")
_ICON_WORDS = re.compile(r"[a-z0-9+\-\s]+")  # every token lowercase and unpunctuated
_LEFTOVER = re.compile(r"[a-z][a-z0-9]{0,3}")  # such as "fm", split off an icon run


def _is_icon_run(ctx: LineContext) -> bool:
    if ctx.word_count < 3 or not _ICON_WORDS.fullmatch(ctx.text):
        return False  # icon names are lowercase and unpunctuated; prose is neither
    tokens = ctx.text.split()
    ui = sum(1 for t in tokens if _UI_TOKEN.fullmatch(t) and t not in ("iconic", "icons"))
    return ui >= 3 and ui / len(tokens) >= 0.4


def _icon_run(ctx: LineContext) -> bool:
    if _is_icon_run(ctx):
        return True
    leftover = _LEFTOVER.fullmatch(ctx.text)
    return bool(leftover) and (ctx.rank < 3 or any(_is_icon_run(n) for n in _near(ctx)))


# --- media-player -----------------------------------------------------------------------------
_TIMESTAMP = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?")  # 0:00, 1:02:33, 00:00 / 03:12
_PLAYER_WORD = re.compile(
    r"(?i)(?:podcasts?|videos?|audio|play|pause|listen|watch|replay|mute|unmute|live|now\s+playing"
    r"|(?:play|watch|listen)\s+(?:now|live|video|audio))[.!:]?",
)
_PLAYER_PROMPT = re.compile(
    r"(?i)(?:watch|listen|play|download)\b.*\b(?:video|audio|podcast|episode|youtube|vimeo|soundcloud|itunes|spotify)\b",
)


_EMBED_LABEL = re.compile(r"(?:watch|listen|video|audio)\s*:\s", re.I)


def _media_player(ctx: LineContext) -> bool:
    if ctx.word_count > 15:
        return False  # what follows matches three words at most, or fifteen after "Watch:"
    text = ctx.text
    if _TIMESTAMP.fullmatch(text):  # "27:19" in running text is a time; in a run or at the end, a player
        near = _near(ctx)
        return ctx.is_near_end or any(_TIMESTAMP.fullmatch(n.text) or _PLAYER_WORD.fullmatch(n.text) for n in near)
    if _PLAYER_WORD.fullmatch(text):  # "Video" alone may be a heading: only next to a timestamp
        return any(_TIMESTAMP.fullmatch(n.text) for n in _near(ctx))
    if _EMBED_LABEL.match(text):  # an embed label: "WATCH: ..."
        return ctx.word_count <= 15
    return ctx.word_count <= 8 and ", " not in text and bool(_PLAYER_PROMPT.match(text))


# --- share-prompt -----------------------------------------------------------------------------
_BUTTON = re.compile(
    r"(?i)share[sd]?|tweet|e-?mail|print|pin(?:it)?|save|whatsapp|reddit|facebook|twitter|linkedin|pinterest"
    r"|telegram|tumblr|flipboard|messenger|google\+|instagram|youtube|sms|copy|link",
)
# Prompts and notices: phrases that open the line (tried once, at its start) and phrases found anywhere in it
# (tried at word starts only); each an alternation that regex engines would otherwise try at every character.
_PROMPT_OPENING = re.compile(
    r"(?i)(?:share|tweet|pin|email|post)\s+(?:this(?:\s+(?:article|story|post|page|video))?|it|on\s+\S+|via\s+\S+)"
    r"(?:\s+(?:on|via|with)\s+\S+)?\s*[:!.]?$"
    r"|share\s+your\s+(?:thoughts|views|opinions?|comments|story)\b"
    r"|\(?opens\s+in\s+(?:a\s+)?new\s+window\)?$"
    r"|follow\s+@\w+|subscribe\b|sign\s+up\s+(?:for|to|now|here|today)\b"
    r"|(?:get|receive)\s+(?:our|the)\b.*\bnewsletter\b"
    r"|(?:leave|post|add|write|view|show|load|read)\s+(?:a\s+|all\s+|the\s+)?(?:\d+\s+)?(?:comments?|repl(?:y|ies))\b"
    r"|(?:\d+\s+)?comments?\s*(?:\(\d+\))?$|no\s+comments(?:\s+yet)?\.?$"
    r"|add\s+your\s+two\s+cents\b"
    # a call to action that ends in its link: "Get a PDF sample of the report at: http://..."
    r"|(?:browse|get|purchase|buy|download|order|visit|request|learn\s+more|find\s+out\s+more|check\s+out)\b"
    r"[^.!?]{0,160}:\s*(?:https?://|www\.)\S+$"
    r"|if\s+you\s+(?:would\s+like|want|wish)\s+to\s+(?:receive|get|read|see)\s+more\b"
    r"|see\s+an?\s+(?:error|typo|mistake)\s+in\s+this\b"
    r"|(?:h/t|hat\s+tip)\b"  # a credit for the tip, like a "Source:" line
    # WordPress's share and like widgets, flattened: "Share this: Reddit", "Like this: Like Loading... Related"
    rf"|share\s+this\s*:(?:[\s,|•]*(?:{_BUTTON.pattern.removeprefix('(?i)')}|more))+\s*$"
    r"|like\s+this\s*:(?:\s*like)?(?:\s*loading(?:\.{3}|…)?)?(?:\s*related)?\s*$|like\s+loading(?:\.{3}|…)?\s*$"
    r"|rss\s+feeds?(?:\s+(?:for|of)\s+(?:[\w.'’-]+\s*){1,5})?:?\s*$"  # "RSS Feed for Jane Doe"
    # an author's other work, then a name and nothing else: "Older articles by Jane Doe", "View all posts by"
    r"|(?:view\s+)?(?:all|older|newer|more|other|recent|latest|most\s+recent)\s+(?:articles|posts|stories|columns)"
    r"\s+(?:by|from)(?:\s+[\w.'’-]+){0,5}\s*:?\s*$",
)
_PROMPT_ANYWHERE = re.compile(
    r"(?i)\b(?:like\s+and\s+share\b|share\s+this\s+(?:article|story|post)\b"
    r"|click\s+(?:here|to\s+(?:share|tweet|email|print|subscribe|read|watch|view|see|donate))\b"
    r"|(?:follow|like|find|join|connect\s+with)\s+(?:us|me)\s+(?:on|at|@)"
    r"|(?:the|your)\s+comments?(?:\s+section)?\s+below\b"
    r"|support\s+(?:my|our|this)\s+(?:work|site|channel|journalism)\b"
    r"|send\s+us\s+a\s+correction\b"
    r"|click\s+(?:on\s+)?the\s+(?:button|link|banner)\s+(?:below|above)\b|make\s+a\s+donation\b"
    r"|(?:added|subscribe)\s+to\s+(?:the|our|my)\s+(?:e-?mail|mailing)\s+list\b"
    r"|\d{1,2}%\s+off\b|free\s+shipping\b)",  # a shop's advert
)
_NOTICE_OPENING = re.compile(
    r"(?i)(?:accept|manage)\s+(?:all\s+)?cookies\b"
    r"|(?:©|\(c\)|copyright)\s*(?:©\s*)?\d{4}"
    r"|(?:this\s+)?(?:article|story|post|piece|content)\s+(?:was\s+|has\s+been\s+)?(?:originally\s+|first\s+)?"
    r"(?:published|appeared|posted|contributed|republished|syndicated)\s+(?:on|at|in|by|from|with)\b"
    r"|originally\s+(?:published|posted|appeared)\s+(?:on|at|in|by)\b"
    r"|the\s+post\s+.{1,200}\s+appeared\s+first\s+on\b"  # WordPress feeds sign every post so
    r"|this\s+(?:column|essay|op-?ed|commentary)\s+(?:was\s+)?(?:first\s+|originally\s+)?(?:ran|appeared|published)"
    r"\s+(?:on|in|at)\b",
)
_NOTICE_ANYWHERE = re.compile(
    r"(?i)\b(?:(?:we|this\s+(?:web)?site)\s+uses?\s+cookies\b"
    r"|may\s+(?:not\s+)?be\s+(?:freely\s+)?(?:republished|reproduced|reprinted|redistributed|copied)\b"
    r"|(?:republished|reprinted|reproduced|used)\s+with\s+(?:the\s+)?permission\b|all\s+rights\s+reserved\b"
    r"|encourage\s+you\s+to\s+(?:share|republish|repost)\b)|©\s*$",
)


def _says(text: str, opening: re.Pattern[str], anywhere: re.Pattern[str]) -> bool:
    return bool(opening.match(text) or anywhere.search(text))


@functools.lru_cache(maxsize=4096)
def _buttons(text: str) -> tuple[str, ...] | None:
    """The tokens of a row of share buttons ("Share | Tweet | Email"), or None if it is not one."""
    if len(text) > 160:  # a row of buttons is short; no need to split a paragraph to know
        return None
    tokens = tuple(t.strip(":").lower() for t in re.split(r"[\s|·•/,]+", text) if t and not t.isdigit())
    return tokens if tokens and all(_BUTTON.fullmatch(t) for t in tokens) else None


_COPYRIGHT = re.compile(r"(?i)(?:©|\(c\)|copyright)\s*(?:©\s*)?\d{4}\b")


def _share_prompt(ctx: LineContext) -> bool:
    if ctx.word_count > 80:
        return False  # longer than any notice, and than 160 characters of buttons
    buttons = _buttons(ctx.text)
    if buttons is not None:  # a lone "Facebook" may be a section heading: demand a second button nearby
        strong = len(buttons) >= 2 or buttons[0] in ("share", "tweet", "pinit")
        return strong or any(_buttons(n.text) is not None for n in _near(ctx))
    if ctx.word_count <= 40 and _says(ctx.text, _PROMPT_OPENING, _PROMPT_ANYWHERE):
        return True
    if _COPYRIGHT.match(ctx.text):
        return True  # a copyright notice with its conditions of reuse can run long
    return ctx.word_count <= 40 and _says(ctx.text, _NOTICE_OPENING, _NOTICE_ANYWHERE)


# --- teaser -----------------------------------------------------------------------------------
_TEASER = re.compile(
    r"(?i)^[-\u2013\u2014•»>*\s]*(?:read|see|view)\s+(?:more|also)\b(?=\s*(?:$|[:@»\u203a>…\-\u2013\u2014]|\.\.\.|(?:here"
    r"|at|on|from|great|articles?|stories|posts?|news)\b))"
    r"|^(?:view|read|see)\s+(?:this|the\s+full|the\s+original|full)\s+(?:article|story|post|report)\b"
    r"|^(?:related|recommended)(?:\s+(?:for\s+you|reading|articles?|posts?|stories|reports?|links|content|coverage"
    r"|news|videos?|resources|topics|items))?\s*(?::|$)"
    r"|^(?:also\s+read|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)|more\s+(?:from|on|in"
    r"|about|stories|news|videos?)\b|continue\s+reading|keep\s+reading|further\s+reading|don'?t\s+miss"
    r"|trending(?:\s+now)?|most\s+(?:read|popular|viewed|shared)|editor'?s\s+picks?|top\s+stories)\b",
)
_EXCERPT_END = re.compile(
    r"(?:\.\.|…|[.!?\"\u201d])\s*(?:read\s+more|continue\s+reading|\[(?:\.\.\.|…|more)\])\s*[»\u203a→.…]*$", re.I
)


def _is_teaser(ctx: LineContext) -> bool:
    text, words = ctx.text, ctx.word_count
    if words > 60:
        return False
    if _TEASER.match(text):  # "Read more: <headline>" yes; "More from the interview follows." no
        linked = ":" in text or "@" in text or _has_url(text)
        return words <= 25 and (linked or (words <= 10 and not (words > 3 and text.endswith("."))))
    return _cut_off(text)


def _cut_off(text: str) -> bool:
    """An excerpt cut off by "... Read more": ``_EXCERPT_END``, searched only where an ASCII line's end lets it match.

    Asked of most lines; in ASCII no other letter folds to one of its words' (as dotless ı does to i).
    """
    if text.isascii() and not text.rstrip().rstrip(".").rstrip().lower().endswith(("more", "reading", "]")):
        return False
    return bool(_EXCERPT_END.search(text))


def _teaser(ctx: LineContext) -> bool:
    if ctx.word_count > 60:
        return False
    if _is_teaser(ctx):
        return True
    return _is_title_like(ctx) and _under_heading(ctx, _is_teaser_heading, _is_title_like)  # "Read more:" + headlines


def _is_teaser_heading(ctx: LineContext) -> bool:
    return ctx.word_count <= 5 and _is_teaser(ctx) and not re.search(r"\.$|https?:|www\.", ctx.text)


# --- photo-credit -----------------------------------------------------------------------------
_AGENCY = re.compile(
    r"(?:AP|AFP|EPA|Reuters|Getty(?:\s+Images)?|Shutterstock(?:\.com)?|iStock(?:photo)?|Xinhua|Bloomberg|TASS"
    r"|Sputnik|RIA\s+Novosti|Wikimedia\s+Commons|Flickr|Pixabay|Unsplash|Alamy|Corbis|PA)(?:\s+(?:Photo|Images|Pool))?",
    re.I,
)
_CREDIT_START = re.compile(
    r"(?i)[(\[]?\s*(?:expand\s*\|\s*collapse\b"
    r"|(?:featured\s+|file\s+|top\s+|lead\s+|header\s+|cover\s+)?(?:photo(?:graph)?|image|picture|pic|illustration"
    r"|graphic)s?\s*(?:credits?|courtesy|source)?\s*(?::|by\b|via\b|courtesy\b|©)|credits?\s*:)",
)
_STOCK_PHOTO = re.compile(
    r"(?i)[(\[]?(?:file|stock|royalty[- ]free|archive|representational|representative|illustrative|generic)"
    r"(?:\s+stock)?\s+(?:photo|image|picture|pic)s?[)\]]?\.?",
)
_CREDIT_END = re.compile(  # a caption closed by its credit: "... (Photo: NRA News)", "... Credit: NASA/JPL"
    r"(?i)\(\s*(?:(?:photo|image|picture|pic)s?(?:\s+credit)?|credits?)\s*[:/][^()]{1,80}\)\s*$"
    rf"|\(\s*(?:{_AGENCY.pattern})\s*(?:/|via\b)[^()]{{0,80}}\)\s*$"
    r"|\bcredits?\s*:\s*(?:\S+\s+){0,9}\S+\s*$",
)


def _photo_credit(ctx: LineContext) -> bool:
    text, words = ctx.text, ctx.word_count
    if words > 60:
        return False  # a stock-photo label is four words at most
    if (words <= 40 and _CREDIT_START.match(text)) or _STOCK_PHOTO.fullmatch(text):
        return True
    if (text.endswith(")") or ":" in text) and _CREDIT_END.search(text):  # what each of its forms ends with or has
        return True
    if words > 10:
        return False
    parts = [p.strip() for p in re.split(r"/|\bvia\b|\|", text)]  # "Reuters / John Smith", "Jane Doe/AFP/Getty"
    short = all(0 < len(p.split()) <= 4 for p in parts)
    return short and not _SENTENCE_END.search(text) and any(_AGENCY.fullmatch(p) for p in parts)


# --- navigation -------------------------------------------------------------------------------
_NAV = re.compile(
    r"(?i)home|news|(?:main\s+)?menu|search|navigation|(?:toggle|skip)\s+navigation|skip\s+to\s+(?:main\s+)?content"
    r"|(?:next|previous|prev)(?:\s+(?:page|article|post|story))?|(?:older|newer)\s+posts|(?:go\s+)?back"
    r"|(?:(?:back|go|return)\s+)?to\s+top|top|advert(?:isement)?s?|ads?|(?:sponsored|promoted|paid)(?:\s+(?:content|post))?"
    r"|sponsored|loading|(?:open|close)(?:\s+menu)?|log\s?in|sign\s+in|log\s?out|register|(?:show|load)\s+more"
    r"|(?:view|see)\s+all|site\s?map|privacy\s+policy|terms\s+of\s+(?:use|service)|cookie\s+policy|jump\s+to",
)
_NAV_TRIM = " \t.…:»\u203a«\u2039→←↑<>|•·▲▼^-\u2013\u2014"
_MENU_SEP = re.compile(r"\s*(?:\||\u203a|»|\s>\s|•|·|::|\s/\s)\s*")
_MENU_CHAR = re.compile(r"[|\u203a»>•·:/]")  # in every _MENU_SEP match
_TAGS = re.compile(
    r"(?:tags?|tagged(?:\s+with)?|filed\s+under|categor(?:y|ies)|topics?|posted\s+in|labels?)\s*:\s*\S", re.I
)


_CONTINUES = re.compile(r"\b(?:story|article)\s+continues\s+(?:below|after)\b", re.I)
_ALNUM = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")


def _navigation(ctx: LineContext) -> bool:
    text = ctx.text
    if _NAV.fullmatch(text.strip(_NAV_TRIM)):
        return True
    if ctx.word_count <= 8 and _CONTINUES.search(text):
        return True
    if _TAGS.match(text) and (ctx.word_count <= 30 or ". " not in text):
        return True
    if not _ALNUM.search(text):
        return True  # a rule of underscores, stars or dashes: layout, not text
    if ctx.word_count > 60:
        return False  # no menu is that long: spare splitting a paragraph
    if not _MENU_CHAR.search(text):
        return False  # no separator, so one part: no menu
    parts = [p for p in _MENU_SEP.split(text) if p]  # "Home | World | Business", "Home › World"
    if len(parts) < 3 and not (len(parts) == 2 and parts[0].lower() == "home"):
        return False
    return all(
        len(p.split()) <= 3 and _LETTER.search(p) and p[0].isupper() and not _SENTENCE_END.search(p) for p in parts
    )


# --- bare-url, reader-poll, contact-block, tail -----------------------------------------------
_ATTRIBUTION = re.compile(r"(?i)(?:sources?|via|h/t|courtesy(?:\s+of)?)\s*:\s*[^.!?]{1,60}")  # "Source: corbettreport"


_LABEL_WORD = re.compile(r"[^\W_]{2,}")
_LINK_ITEM = re.compile(r"[^:–—]{1,60}(?::|\s[–—-])\s*(?:https?://|www\.)\S+")


def _bare_url(ctx: LineContext) -> bool:
    if ctx.word_count > 12:
        return False
    text = ctx.text
    if ctx.word_count <= 6 and _ATTRIBUTION.fullmatch(text):
        return True
    if text[:3].lower() == "by " or not _has_url(text):
        return False  # a byline naming a site is the header stage's business
    rest = _URL.sub(" ", text)  # what a "Source: URL" label leaves: a few words, shorter than the link
    label_words = len(_LABEL_WORD.findall(rest))
    if label_words <= 6 and _LINK_ITEM.fullmatch(text):
        return True  # an item of a link list: "Brian Keane Fitness Website: https://..."
    return label_words <= 3 and len(rest.replace(" ", "")) < len(text.replace(" ", "")) / 2


_POLL = re.compile(
    r"(?i)%\s+of\s+(?:readers|respondents|users|visitors|voters)\s+(?:think|say|believe|voted|agree)\b"
    r"|\breaders\s+think\s+this\s+(?:story|article)\b|\b(?:vote|poll)\s+now\b"
    r"|^(?:vote|poll|cast\s+your\s+vote|take\s+(?:our|the|this)\s+poll|(?:view|see)\s+(?:poll\s+)?results)\s*[:!.]?$"
    r"|^what\s+do\s+you\s+think\?.*\b(?:vote|poll)\b",
)


def _reader_poll(ctx: LineContext) -> bool:
    return ctx.word_count <= 20 and bool(_POLL.search(ctx.text))


_CONTACT_HEADING = re.compile(
    r"(?i)(?:contacts?|contact\s+(?:us|me|details|info(?:rmation)?|person)|contacts?\s+and\s+sources"
    r"|(?:media|press)\s+(?:contacts?|enquiries|inquiries)|for\s+(?:more|further)\s+information,?\s+(?:please\s+)?contact)"
    r"\s*:?",
)
_CONTACT_FIELD = re.compile(
    r"(?i)(?:e-?mail|phone|tel|telephone|call|fax|mobile|cell|skype|whatsapp|address|website|web)"
    r"(?:\s+(?:us|me|number|address))?\s*[:.]\s*\S",
)
_EMAIL_OR_PHONE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?[\d\s().-]{7,24}")


# A closing note on the author: "— Jane Doe is a writer and a fellow at ...", "Jo Ray is a best-selling author",
# "Jane Doe can be reached at jane@example.com".
_AUTHOR_NOTE = re.compile(
    r"[—–-]+\s*(?:[A-Z][\w.'’-]+\s+){1,4}(?:is|was)\s+(?:a|an|the)\b"
    r"|(?:[A-Z][\w.'’-]+\s+){1,4}(?:can|may)\s+be\s+(?:reached|contacted|e-?mailed|followed)\s+(?:at|on|via|by)\b"
    r"|(?:[A-Z][\w.'’-]+\s+){1,3}is\s+(?:a|an)\s+(?:[\w#,-]+\s+){0,8}(?:author|writer|journalist|blogger|columnist"
    r"|editor|contributor|researcher|commentator)\b"
)


_LONE_BY = re.compile(r"(?i)(?:written\s+)?by\s*:?")


def _contact_block(ctx: LineContext) -> bool:
    if ctx.word_count > 80:
        return False  # a heading, a field, an address or an author's note is shorter
    text = ctx.text
    if ctx.is_near_end and _AUTHOR_NOTE.match(text):
        return True
    if _CONTACT_HEADING.fullmatch(text) or (ctx.word_count <= 10 and _CONTACT_FIELD.match(text)):
        return True
    if _LONE_BY.fullmatch(text):
        return True  # a byline whose names the scraper lost
    if _EMAIL_OR_PHONE.fullmatch(text) and ("@" in text or sum(c.isdigit() for c in text) >= 7):
        return True
    if ctx.word_count > 8 or ctx.position < 0.5 or ". " in text:
        return False
    return _under_heading(ctx, lambda c: bool(_CONTACT_HEADING.fullmatch(c.text)), lambda c: c.word_count <= 8)


_HEADER_LINES = 6  # as many as article.HEADER_WINDOW: where datelines and bylines are looked for


def _repeated_in_source(ctx: LineContext) -> bool:
    """A line the source repeats across distinct articles, unless it reads as this article's own text."""
    profile = ctx.profile
    if profile is None or _repeats(ctx) == 0:
        return False
    if ctx.rank < 3 and _numbers_only_repeat(profile, ctx.text):
        return False  # only its numbers repeat, at the top: this article's dateline or numbered title
    if ctx.rank < _HEADER_LINES and (BYLINE.match(ctx.text) or parse_dateline(ctx.text, tz=UTC) is not None):
        return False  # the header parser's: a day's articles share "Tuesday, December 13, 2016", a column its byline
    if ctx.rank == 0 and _repeats(ctx) == 1:
        return False  # the first line, in a few articles only: a title two articles share ("Morning briefing")
    if _repeats(ctx) == 2:
        return True  # the site's template: in a good share of everything it publishes
    if _between_own_prose(ctx):
        return False  # a heading such as "Conclusion" between two paragraphs of this article
    # Seen in a few articles only: boilerplate near the top or bottom (a sign-off, a tagline), or in a
    # block of junk that reaches an edge or holds known junk (jusText's neighbour rule); in the middle,
    # two articles share a list or a quote, which stays.
    at_edge = min(ctx.rank, len(ctx.nonblank) - 1 - ctx.rank) < _NEAR_LINES
    header_label = ctx.rank < 8 and not _reads_as_prose(ctx)  # "Guest writer for X" under a byline
    return at_edge or header_label or _in_junk_block(ctx, -1) or _in_junk_block(ctx, 1)


def _repeats(ctx: LineContext) -> int:
    """0: the line is this article's alone; 1: a few articles of the source have it; 2: a good share do."""
    if ctx.profile is None:
        return 0
    known = ctx.memo.repeats
    if (level := known.get(ctx.index)) is None:
        level = known[ctx.index] = repeat_level(ctx.profile, ctx.text)
    return level


def _reads_as_prose(ctx: LineContext) -> bool:
    known = ctx.memo.prose
    if (prose := known.get(ctx.index)) is None:
        prose = known[ctx.index] = reads_as_prose(ctx.text)
    return prose


def repeat_level(profile: SourceProfile, text: str) -> int:
    """How widely the source repeats this line: 0 not at all, 1 in a few articles, 2 in a good share."""
    return _level(profile, profile.articles_with(text))


def _level(profile: SourceProfile, count: int) -> int:
    """``repeat_level`` of a line held by ``count`` distinct articles of the source."""
    settings = profile.settings
    if count < settings.repeated_min_articles:
        return 0
    strong = count >= settings.repeated_always_articles and count >= settings.repeated_always_share * profile.articles
    return 2 if strong else 1


def _numbers_only_repeat(profile: SourceProfile, text: str) -> bool:
    return profile.articles_with(text, digits=True) == 1


def folded_signature(folded: Sequence[str], profile: SourceProfile, zeroed: Sequence[str] | None = None) -> str:
    """All the cleaner reads of ``profile`` for a file's lines (its ``folded_lines``): the same signature,
    the same cleaning.

    A build caches each file's cleaning under it, so a source's new article re-cleans only the files
    whose repeated lines it made more (or less) common. ``zeroed``: the lines' ``zeroed_lines``, if made already.
    """
    out = []
    if zeroed is None:
        zeroed = zeroed_lines(folded)
    for rank, (line, zero) in enumerate(zip(folded, zeroed, strict=True)):
        level = _level(profile, profile.zeroed_count(zero))
        # whether only its numbers repeat is asked of a repeated line near the top only
        out.append(f"{level}{profile.folded_count(line, digits=True) == 1:d}" if level and rank < 3 else str(level))
    return "".join(out)


def signature_levels(signature: str, count: int) -> list[int]:
    """The ``repeat_level`` of each of a file's ``count`` non-blank lines, read back from its ``folded_signature``."""
    levels: list[int] = []
    at = 0
    for rank in range(count):
        level = int(signature[at])
        levels.append(level)
        at += 2 if level and rank < 3 else 1
    if at != len(signature):
        raise ValueError(f"not the signature of {count} lines: {signature!r}")
    return levels


def _in_junk_block(ctx: LineContext, step: int) -> bool:
    """Whether the run of repeated or removed lines from this one towards ``step`` reaches the edge or known junk."""
    for distance in range(1, 40):
        other = ctx.neighbour(step * distance)
        if other is None:
            return True  # the run reaches the top or bottom of the text
        if other.index in ctx.removed or _repeats(other) == 2:
            return True
        if _repeats(other) == 0:
            return False
    return False


def _between_own_prose(ctx: LineContext) -> bool:
    near = _near(ctx)
    own = [n for n in near if _reads_as_prose(n) and _repeats(n) == 0]
    return len(near) == 2 and len(own) == 2


def _tail(ctx: LineContext) -> bool:
    """A short non-sentence at the end, after removed lines or labelling them (``Links:``), and only removed after."""
    if ctx.word_count > 12 or ctx.position < 0.5:
        return False
    if ctx.word_count >= 4 and _SENTENCE_END.search(ctx.text) and not _URL.search(ctx.text):
        return False  # a real closing sentence stays even when junk surrounds it
    if ctx.rank == len(ctx.nonblank) - 1 and ctx.word_count <= 3 and ctx.text.endswith(":"):
        return True  # a label whose content the scraper lost: "Source:" as the very last line
    prev, later = ctx.neighbour(-1), range(ctx.rank + 1, len(ctx.nonblank))
    signature = ctx.word_count <= 3 and ctx.text[:1].isupper() and not _SENTENCE_END.search(ctx.text)
    after_junk = (prev is not None and prev.index in ctx.removed) or ctx.text.endswith(":") or signature
    return after_junk and bool(later) and all(ctx.nonblank[j] in ctx.removed for j in later)


_BUILTIN: tuple[tuple[str, str, _Test], ...] = (
    ("icon-run", "runs of UI icon names (`bookmarkicon chevron lefticon ...`) and lone leftovers like `fm`", _icon_run),
    ("media-player", "player labels and timestamps (`Podcasts`, `0:00`, `27:19`), `Watch on YouTube`", _media_player),
    ("share-prompt", "share/follow/subscribe/comment prompts and republishing or copyright notices", _share_prompt),
    ("teaser", "`Read more:`, `Related`, `You may also like` lines and the headline lists under them", _teaser),
    ("photo-credit", "captions and credits (`Photo: Reuters`, `(Photo credit: X)`, `AP / Jane Doe`)", _photo_credit),
    ("navigation", "menus, breadcrumbs, `Skip to content`, `Advertisement`, `Tags:` lines", _navigation),
    ("reader-poll", "reader poll widgets (`% of readers think this story is Fact`, `Vote now`)", _reader_poll),
    ("bare-url", "a line that is only a link, or a short label and a link (`Source: URL`)", _bare_url),
    (
        "contact-block",
        "`Contact us:` blocks, e-mail/phone lines, address lines, `— X is a writer` notes",
        _contact_block,
    ),
    ("repeated-in-source", "a line found in several distinct articles of the same source", _repeated_in_source),
    ("tail", "a short non-sentence line between removed lines at the end of the file", _tail),
)


# Rules that judge a line by the file's text alone, never by which other lines went: asked once per line.
_BLIND_TO_REMOVALS = frozenset(test for _, _, test in _BUILTIN) - {_repeated_in_source, _tail}


@functools.cache
def _default_order() -> tuple[Rule, ...]:
    """The built-in rules in the order they are tried: the same for every file (rules are frozen), so sorted once."""
    return tuple(default_rules())


def repetition_rules() -> RuleRegistry:
    """The repetition pass alone: for text an extractor already took from a page's markup (a saved page),
    where the line rules, written for scraped text with its furniture, would only take the article's lines."""
    registry = default_rules()
    for name in registry.names():
        if name != "repeated-in-source":
            registry.deregister(name)
    return registry


def default_rules() -> RuleRegistry:
    """A new registry of the built-in rules (a fresh one each call: no shared mutable state)."""
    registry = RuleRegistry()
    for rank, (name, description, test) in enumerate(_BUILTIN):
        registry.register(Rule(name, description, test), priority=100 - 10 * rank)
    return registry


_REPETITION = repetition_rules()


@functools.lru_cache(maxsize=4)  # ``serve`` loads the plugins again at each rebuild
def _with_rules(saved_page: bool, extra: tuple[CleanerRule, ...]) -> RuleRegistry:
    """The built-in rules (of a saved page: the repetition pass) with a site's plugins' rules, made once."""
    registry = repetition_rules() if saved_page else default_rules()
    for rule in extra:
        registry.register(Rule(rule.name, rule.description, rule), rule.priority)
    return registry


def clean_file(
    source: SourceFile,
    profile: SourceProfile | None,
    settings: CleaningSettings,
    model: LineModel | None = None,
    extra: tuple[CleanerRule, ...] = (),
    signature: str | None = None,
) -> CleanResult:
    """Per-file rules, with the repetition statistics of the file's source when there are any, then the line model.

    Markdown is hand-written: kept whole. A saved page's markup was read by trafilatura already: what is left
    to find is what its site repeats. ``model``: another line model than the one newsgen ships (benchmarks
    score models trained without a page's site). ``extra``: the site's plugins' rules, tried with the built-in ones.
    ``signature``: the file's ``folded_signature`` under ``profile``, if known (see ``strip_boilerplate``).
    """
    if source.markup == "markdown":
        return CleanResult(source.lines, ())
    if source.markup == "html":
        return strip_boilerplate(source.lines, _with_rules(True, extra) if extra else _REPETITION, profile, signature)
    cleaned = strip_boilerplate(source.lines, _with_rules(False, extra) if extra else None, profile, signature)
    return judge_lines(source.lines, cleaned, settings.line_model, model)
