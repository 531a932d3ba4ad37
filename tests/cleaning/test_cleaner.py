"""The per-file boilerplate cleaner: fixture pairs, rules one by one, the registry, and properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgen.cleaning.cleaner import (
    CleanResult,
    LineContext,
    Rule,
    RuleRegistry,
    default_rules,
    folded_signature,
    strip_boilerplate,
)
from newsgen.cleaning.sitewide import SourceProfile, folded_lines, normalise_line
from newsgen.models import Line

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cleaner"
CASES = sorted(p.name[: -len(".txt")] for p in FIXTURES.glob("*.txt") if p.name.count(".") == 1)

BUILTIN_ORDER = [
    "icon-run",
    "media-player",
    "share-prompt",
    "teaser",
    "photo-credit",
    "navigation",
    "reader-poll",
    "bare-url",
    "contact-block",
    "repeated-in-source",
    "tail",
]


def to_lines(text: str) -> list[Line]:
    """Number a file's lines as the loader does: 1-based, split on newlines only."""
    return [Line(n, t) for n, t in enumerate(text.split("\n"), start=1)]


def render(lines: tuple[Line, ...]) -> str:
    """The comparison rule of the fixtures (see fixtures/cleaner/README.md)."""
    out: list[str] = []
    for line in lines:
        text = line.text.rstrip()
        if text or (out and out[-1]):
            out.append(text)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def clean_file(case: str) -> CleanResult:
    return strip_boilerplate(to_lines((FIXTURES / f"{case}.txt").read_text(encoding="utf-8")))


def rule_of(text: str) -> str | None:
    """The rule that removes `text` when it is a file of its own, or None if it is kept."""
    result = strip_boilerplate([Line(1, text)])
    return result.removed[0].rule if result.removed else None


def context(texts: list[str], index: int) -> LineContext:
    return LineContext(tuple(Line(n, t) for n, t in enumerate(texts, start=1)), index)


PROSE = [
    "The council met on Tuesday to discuss the budget, which has been delayed twice this year.",
    "Officials said the plan would be published in full once lawmakers had approved it.",
    "Residents have until the end of the month to comment on the proposals.",
    "Critics argue that the changes would hit the poorest households hardest.",
    "The mayor is expected to respond to the report later this week.",
    "Several local businesses have already said they will close if the tax goes ahead.",
]


def article(*middle: str) -> list[Line]:
    """A prose article with `middle` in the middle, paragraphs separated by blank lines."""
    paragraphs = [*PROSE[:3], *middle, *PROSE[3:]]
    return to_lines("\n\n".join(paragraphs))


# --- fixture pairs ----------------------------------------------------------------------------------


def test_there_are_at_least_ten_fixture_cases() -> None:
    assert len(CASES) >= 10
    for case in CASES:
        assert (FIXTURES / f"{case}.expected.txt").is_file(), case


@pytest.mark.parametrize("case", CASES)
def test_fixture_kept_text_matches_expected(case: str) -> None:
    expected = (FIXTURES / f"{case}.expected.txt").read_text(encoding="utf-8")
    assert render(clean_file(case).kept) == expected


@pytest.mark.parametrize("case", [c for c in CASES if (FIXTURES / f"{c}.removed.txt").is_file()])
def test_fixture_removed_lines_and_rules(case: str) -> None:
    rows = (FIXTURES / f"{case}.removed.txt").read_text(encoding="utf-8").splitlines()
    expected = [(int(number), rule) for number, rule in (row.split("\t") for row in rows)]
    assert [(r.number, r.rule) for r in clean_file(case).removed] == expected


def test_seed_keeps_dateline_title_and_exactly_fifteen_paragraphs() -> None:
    result = clean_file("seed-rt")
    kept = [line.text for line in result.kept if line.text.strip()]
    assert kept[0] == "8 Sep, 2016 14:01"
    assert kept[1].startswith("Russia-US deal on Syrian reconciliation")
    body = kept[2:]
    assert len(body) == 15
    assert body[0].startswith("Russia-US talks on Syrian reconciliation")
    assert body[-1].endswith("were not disclosed.")
    assert [(r.number, r.rule) for r in result.removed] == [(1, "icon-run")] + [
        (n, "media-player") for n in range(36, 41)
    ]
    assert [r.text for r in result.removed[1:]] == ["Podcasts", "0:00", "27:19", "0:00", "26:12"]


def test_seed_fixture_is_the_seed_file_byte_for_byte() -> None:
    data = (FIXTURES / "seed-rt.txt").read_bytes()
    assert data.startswith(b"icon bookmark-bicon bookmarkicon cameraicon") and data.endswith(b"0:00\n26:12")


# --- rules, line by line ----------------------------------------------------------------------------

POSITIVE = [
    ("icon-run", "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon chevron lefticon"),
    ("icon-run", "fa-facebook fa-twitter fa-envelope"),
    ("icon-run", "fm"),
    ("media-player", "0:00"),
    ("media-player", "27:19"),
    ("media-player", "1:02:33"),
    ("media-player", "00:00 / 03:12"),
    ("media-player", "Watch on YouTube"),
    ("media-player", "WATCH: The moment the bridge collapsed"),
    ("media-player", "Download Podcast (Right Click + 'Save As')"),
    ("share-prompt", "Share this article"),
    ("share-prompt", "Share on Facebook"),
    ("share-prompt", "Click to share on Twitter (Opens in new window)"),
    ("share-prompt", "Follow us on Twitter"),
    ("share-prompt", "Like us on Facebook."),
    ("share-prompt", "Subscribe to our newsletter"),
    ("share-prompt", "Sign up for our morning briefing"),
    ("share-prompt", "We use cookies to give you the best experience on our website."),
    ("share-prompt", "Tweet"),
    ("share-prompt", "Share | Tweet | Email"),
    ("share-prompt", "Leave a comment"),
    ("share-prompt", "Comments"),
    ("share-prompt", "37 comments"),
    ("share-prompt", "Add your two cents."),
    ("share-prompt", "This article may be republished for free under a Creative Commons licence."),
    ("share-prompt", "© 2018 Reuters. All rights reserved."),
    ("share-prompt", "Republished with permission from the author."),
    ("share-prompt", "Originally published at example.org"),
    ("share-prompt", "(To Donate to Example.com Click Here)"),
    ("teaser", "Read more: Rivers burst their banks across the region"),
    ("teaser", "READ MORE:"),
    ("teaser", "Read More @ Example-Blog.com"),
    ("teaser", "Related:"),
    ("teaser", "Related Articles"),
    ("teaser", "Recommended"),
    ("teaser", "You may also like"),
    ("teaser", "More from Reuters"),
    ("teaser", "Continue reading"),
    ("teaser", "See also: Insurance claims after a flood"),
    ("teaser", "The federal government's budget is under pressure again..Read more"),
    ("photo-credit", "(Photo: Mark Lennihan / AP)"),
    ("photo-credit", "Photo: Reuters"),
    ("photo-credit", "Photo by Drew Angerer / Getty Images"),
    ("photo-credit", "Image: NASA"),
    ("photo-credit", "Image credit: ESA/Hubble"),
    ("photo-credit", "Expand | Collapse (Photo: Win McNamee / Getty Images)"),
    ("photo-credit", "Credit: AP"),
    ("photo-credit", "File photo"),
    ("photo-credit", "Reuters / John Smith"),
    ("photo-credit", "John Smith/AFP/Getty Images"),
    ("photo-credit", "Protesters outside parliament on Monday. (Photo: Jane Doe)"),
    ("navigation", "Home"),
    ("navigation", "News"),
    ("navigation", "Menu"),
    ("navigation", "Search"),
    ("navigation", "Next"),
    ("navigation", "Previous"),
    ("navigation", "Back to top"),
    ("navigation", "Skip to content"),
    ("navigation", "Advertisement"),
    ("navigation", "ADVERTISEMENT"),
    ("navigation", "Sponsored"),
    ("navigation", "Loading..."),
    ("navigation", "Home | World | Business"),
    ("navigation", "Home \u203a World \u203a Europe"),
    ("navigation", "Tags: EU, migration, Brussels"),
    ("bare-url", "https://www.example.com/2018/01/25/story.html"),
    ("bare-url", "www.example.com"),
    ("bare-url", "Source: http://www.example.com/story"),
    ("bare-url", "Via: www.example.org/news/1"),
    ("reader-poll", "% of readers think this story is Fact. Add your two cents."),
    ("reader-poll", "Poll"),
    ("reader-poll", "Vote"),
    ("reader-poll", "What do you think? Vote now"),
    ("contact-block", "Contact us:"),
    ("contact-block", "Email: newsdesk@example.com"),
    ("contact-block", "Tel: +1 888 391 5441"),
    ("contact-block", "press@example.com"),
    ("share-prompt", "Share this: Reddit"),
    ("share-prompt", "Share this: Facebook, Twitter, More"),
    ("share-prompt", "Like this: Like Loading... Related"),
    ("share-prompt", "Like Loading..."),
    ("share-prompt", "RSS Feed for Jane Doe"),
    ("share-prompt", "Older articles by Jane Doe"),
    ("share-prompt", "Most Recent Articles by Jane Doe"),
    ("contact-block", "Jane Doe can be reached at: jane@example.com"),
    ("contact-block", "By"),
]

KEPT = [
    "Trump wins",
    "Why?",
    '"We will not back down," the senator said.',
    "- Voters in three states will decide on Tuesday whether to raise the minimum wage.",
    "1. The first step is to register with the electoral office.",
    "Photo opportunities were limited, he said.",
    "Share prices fell 3 percent on Monday after the company cut its forecast.",
    "Email server",
    "Follow the money, the investigators were told.",
    "Readers who want to subscribe to the print edition can do so at any newsagent, the publisher said.",
    "The meeting began at 10:30 and ended shortly after noon.",
    "Video of the incident was shared widely online.",
    "Related research shows that the effect is small.",
    "More from the interview will air on Sunday.",
    "Read more about the relief fund in our guide.",
    "Home prices rose for the third month in a row.",
    "The iconic bridge reopened on Friday.",
    "Next year, the council will review the policy again.",
    "Print media is far from dead.",
    "Copyright lawyers say the ruling could have broad consequences.",
    "Comments made by the minister drew criticism from opposition parties.",
    "Watch the skies tonight, astronomers said, as a meteor shower peaks.",
    "Credit card debt hit a record high last year.",
    "Source material for the film came from court records.",
    "The full report is available at www.example.gov/report, officials said.",
    "[January 24, 2018 - ZurichTimes.net]",
    "By Jane Doe, Example.com",
    "Poll workers said turnout was high.",
    "Contact between the two sides has been limited.",
    "Facebook",
    "Podcasts",
    "Video",
    "Sign up numbers for the scheme have been disappointing, the minister admitted in a statement.",
    "RSS feeds are a simple way to follow news sites, and most readers still support them.",
    "Other articles by the same author argue that the reform came too late to matter.",
    "Share this: the council will vote again next week, the mayor told reporters.",
    "By the numbers: three ferries, two bridges and one very long queue.",
]


@pytest.mark.parametrize(("rule", "text"), POSITIVE)
def test_rule_removes_line(rule: str, text: str) -> None:
    assert rule_of(text) == rule


@pytest.mark.parametrize("text", KEPT)
def test_prose_and_titles_are_kept_alone(text: str) -> None:
    assert rule_of(text) is None


@pytest.mark.parametrize("text", KEPT)
def test_prose_and_titles_are_kept_inside_an_article(text: str) -> None:
    assert strip_boilerplate(article(text)).removed == ()


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("share-prompt", "Share prices fell 3 percent on Monday after the company cut its forecast."),
        ("share-prompt", "He urged them to subscribe " + "to a long and winding argument " * 5 + "before voting."),
        ("photo-credit", "Photo opportunities were limited, he said."),
        ("teaser", "More from the interview will air on Sunday."),
        ("navigation", "Next year, the council will review the policy again."),
        ("icon-run", "The iconic chevron icon sits on the flag, she said."),
        ("bare-url", "The full report is available at www.example.gov/report, officials said."),
        ("media-player", "Watch the skies tonight, astronomers said, as a meteor shower peaks."),
    ],
)
def test_rule_does_not_match_look_alike_prose(rule: str, text: str) -> None:
    assert not default_rules()[rule].matches(context([text], 0))


def test_player_label_is_removed_only_next_to_timestamps() -> None:
    removed = strip_boilerplate(article("Podcasts\n0:00\n27:19")).removed
    assert [(r.text, r.rule) for r in removed] == [
        ("Podcasts", "media-player"),
        ("0:00", "media-player"),
        ("27:19", "media-player"),
    ]
    assert strip_boilerplate(article("Podcasts")).removed == ()


def test_lone_timestamp_in_the_middle_of_an_article_is_kept() -> None:
    lines = to_lines("\n\n".join([*PROSE[:2], "10:30", *PROSE, *PROSE]))
    assert strip_boilerplate(lines).removed == ()


def test_icon_leftover_is_removed_only_at_the_start() -> None:
    assert [r.rule for r in strip_boilerplate(to_lines("fm\n" + "\n\n".join(PROSE))).removed] == ["icon-run"]
    assert strip_boilerplate(article("fm")).removed == ()


def test_lone_social_network_name_needs_a_second_button() -> None:
    assert strip_boilerplate(article("Facebook")).removed == ()
    removed = strip_boilerplate(article("Facebook\nTwitter\nEmail")).removed
    assert [r.rule for r in removed] == ["share-prompt"] * 3


def test_headlines_under_a_teaser_heading_are_removed() -> None:
    headlines = "Storm warnings issued for the weekend\nRail services suspended in the north"
    removed = strip_boilerplate(article("Related Articles\n" + headlines)).removed
    assert [r.rule for r in removed] == ["teaser"] * 3
    assert strip_boilerplate(article(headlines)).removed == ()


def test_address_lines_under_a_contact_heading_are_removed_near_the_end() -> None:
    address = "Corporate Headquarters\n2nd floor, Metropole\nBund Garden Road, Pune"
    removed = strip_boilerplate(to_lines("\n\n".join([*PROSE, "Contact Us:", address]))).removed
    assert [r.rule for r in removed] == ["contact-block"] * 4
    assert strip_boilerplate(to_lines("\n\n".join([*PROSE, address]))).removed == ()


def test_tail_takes_short_lines_inside_the_closing_junk_only() -> None:
    junk = [
        "Share this article",
        "Delivered by The Daily Planet",
        "Follow us on Twitter",
        "Source: https://example.com/a",
    ]
    removed = strip_boilerplate(to_lines("\n\n".join([*PROSE, *junk]))).removed
    assert [(r.text, r.rule) for r in removed][1] == ("Delivered by The Daily Planet", "tail")
    closing = ["Share this article", "He declined to comment.", "Follow us on Twitter"]
    assert "He declined to comment." not in [
        r.text for r in strip_boilerplate(to_lines("\n\n".join([*PROSE, *closing]))).removed
    ]
    middle = ["Share this article", "Delivered by The Daily Planet", "Follow us on Twitter", *PROSE[:2]]
    assert "Delivered by The Daily Planet" not in [
        r.text for r in strip_boilerplate(to_lines("\n\n".join([*PROSE, *middle]))).removed
    ]


def test_blank_lines_are_never_removed_and_removed_text_is_verbatim() -> None:
    lines = to_lines("   Share this article  \n\n\n   \nTweet\n\t\n")
    result = strip_boilerplate(lines)
    assert [r.text for r in result.removed] == ["   Share this article  ", "Tweet"]
    assert all(not line.text.strip() for line in result.kept)
    assert strip_boilerplate([]) == CleanResult((), ())


# --- LineContext ------------------------------------------------------------------------------------


def test_line_context_features() -> None:
    texts = ["  First  ", "", "Second", "", "", "Third", "Fourth", "Fifth", "Sixth", "Seventh"]
    ctx = context(texts, 2)
    assert ctx.text == "Second" and ctx.word_count == 1 and ctx.rank == 1
    assert ctx.previous_text == "First" and ctx.next_text == "Third"
    assert context(texts, 5).is_near_start and context(texts, 5).is_near_end  # 7 lines: rank 2 is near both
    assert context(texts, 0).position == 0.0 and context(texts, 9).position == 1.0
    blank = context(texts, 3)
    assert blank.previous_text == "Second" and blank.next_text == "Third"
    assert context(texts, 0).neighbour(-1) is None and context(texts, 9).neighbour(1) is None
    assert context(texts, 0).neighbour(0) is None
    long = [f"Line {n}." for n in range(40)]
    assert not context(long, 20).is_near_start and not context(long, 20).is_near_end
    assert context(long, 34).is_near_end and not context(long, 33).is_near_end  # last 15% of 40 = 6 lines


# --- the registry -----------------------------------------------------------------------------------


def test_default_rules_order_and_descriptions() -> None:
    registry = default_rules()
    assert registry.names() == BUILTIN_ORDER
    assert len(registry) == len(BUILTIN_ORDER)
    assert all(rule.description and "\n" not in rule.description for rule in registry)


def test_default_rules_returns_a_fresh_registry_each_time() -> None:
    first = default_rules()
    first.deregister("share-prompt")
    assert "share-prompt" not in first and "share-prompt" in default_rules()


def test_deregister_turns_a_rule_off() -> None:
    registry = default_rules()
    registry.deregister("media-player")
    result = clean_file("seed-rt")
    without = strip_boilerplate(to_lines((FIXTURES / "seed-rt.txt").read_text(encoding="utf-8")), registry)
    assert len(result.removed) == 6 and [(r.number, r.rule) for r in without.removed] == [(1, "icon-run")]
    with pytest.raises(KeyError):
        registry.deregister("media-player")
    registry.deregister("media-player", strict=False)


def test_custom_rule_runs_in_priority_order_and_is_recorded() -> None:
    registry = default_rules()
    dateline = Rule("dateline", "drop RT-style datelines", lambda ctx: ctx.text.startswith("8 Sep, 2016"))
    registry.register(dateline, priority=1000)
    assert registry.names()[0] == "dateline" and dateline in registry and "dateline" in registry
    result = strip_boilerplate(to_lines((FIXTURES / "seed-rt.txt").read_text(encoding="utf-8")), registry)
    assert (2, "dateline") in [(r.number, r.rule) for r in result.removed]


def test_register_replaces_a_rule_of_the_same_name_and_ties_keep_registration_order() -> None:
    registry = RuleRegistry()
    registry.register(Rule("b", "second", lambda ctx: False), priority=5)
    registry.register(Rule("a", "first", lambda ctx: False), priority=5)
    registry.register(Rule("c", "top", lambda ctx: False), priority=9)
    assert registry.names() == ["c", "b", "a"]
    registry.register(Rule("c", "now last", lambda ctx: True), priority=1)
    assert registry.names() == ["b", "a", "c"] and registry["c"].description == "now last"
    assert 42 not in registry


def test_empty_registry_removes_nothing() -> None:
    lines = to_lines((FIXTURES / "seed-rt.txt").read_text(encoding="utf-8"))
    assert strip_boilerplate(lines, RuleRegistry()) == CleanResult(tuple(lines), ())


# --- properties -------------------------------------------------------------------------------------

JUNKY = [line for _, line in POSITIVE] + KEPT + ["", "   ", "0:00", "Podcasts", "Related Articles", "Contact Us:"]


def check_partition(lines: list[Line]) -> None:
    result = strip_boilerplate(lines)
    kept = [line.number for line in result.kept]
    removed = [r.number for r in result.removed]
    assert sorted(kept + removed) == [line.number for line in lines]
    assert kept == sorted(kept) and removed == sorted(removed)
    assert all(r.text.strip() for r in result.removed)
    names = set(default_rules().names())
    assert all(r.rule in names for r in result.removed)


@settings(deadline=None)
@given(st.text())
def test_never_raises_and_every_line_is_kept_or_removed(text: str) -> None:
    check_partition(to_lines(text))


@settings(deadline=None)
@given(st.lists(st.sampled_from(JUNKY) | st.text(max_size=60), max_size=60))
def test_partition_holds_on_mixes_of_junk_and_prose(texts: list[str]) -> None:
    check_partition([Line(n, t) for n, t in enumerate(texts, start=1)])


def test_a_label_left_empty_at_the_very_end_is_removed() -> None:
    removed = strip_boilerplate(to_lines("\n\n".join([*PROSE, "Source:"]))).removed
    assert [(r.text, r.rule) for r in removed] == [("Source:", "tail")]
    heading = ["Here is what he said:", *PROSE[:1]]  # a colon that introduces text stays
    assert strip_boilerplate(to_lines("\n\n".join([*PROSE, *heading]))).removed == ()


# --- the profile signature ----------------------------------------------------------------------------

SIGNED = [
    "Tuesday, December 13, 2016",
    "By Jane Doe",
    "Morning briefing 12",
    "Guest writer for Example",
    "Conclusion",
    "Share this article",
    *PROSE,
]


def drawn_profile(texts: list[str], data: st.DataObject) -> SourceProfile:
    """A profile of 20 articles that counts each of ``texts`` in a drawn number of them, with numbers or not."""
    distinct = sorted(set(texts))
    counts = {normalise_line(t): data.draw(st.sampled_from([1, 1, 2, 4, 5, 6])) for t in distinct}
    exact = {normalise_line(t, digits=True): data.draw(st.integers(1, 3)) for t in distinct}
    return SourceProfile(articles=20, counts=counts, exact=exact)


@settings(deadline=None, max_examples=400)
@given(st.lists(st.sampled_from(SIGNED) | st.sampled_from(PROSE), min_size=1, max_size=16), st.data())
def test_files_with_the_same_signature_are_cleaned_alike(texts: list[str], data: st.DataObject) -> None:
    """The build re-cleans a file only when its signature changes: it must hold all the cleaner reads of a profile."""
    lines = [Line(n, t) for n, t in enumerate(texts, start=1)]
    first = drawn_profile(texts, data)
    # another profile that counts the same lines a little differently: more or fewer articles, numbers or not
    second = SourceProfile(
        articles=20,
        counts={k: max(1, n + data.draw(st.integers(-2, 2))) for k, n in first.counts.items()},
        exact={k: data.draw(st.integers(1, 3)) for k in first.exact},
    )
    folded = folded_lines(texts)
    if folded_signature(folded, first) == folded_signature(folded, second):
        assert strip_boilerplate(lines, profile=first) == strip_boilerplate(lines, profile=second)


@settings(deadline=None, max_examples=300)
@given(st.lists(st.sampled_from(SIGNED) | st.sampled_from(PROSE) | st.just(""), min_size=1, max_size=16), st.data())
def test_lines_cleaned_with_their_signature_are_cleaned_as_without(texts: list[str], data: st.DataObject) -> None:
    """The build hands the cleaner each file's signature, whose repeat levels it reads instead of folding each line."""
    lines = [Line(n, t) for n, t in enumerate(texts, start=1)]
    profile = drawn_profile(texts, data)
    signature = folded_signature(folded_lines(texts), profile)
    assert strip_boilerplate(lines, profile=profile, signature=signature) == strip_boilerplate(lines, profile=profile)
    with pytest.raises(ValueError):
        strip_boilerplate(lines, profile=profile, signature=signature + "0")  # another file's: not read wrong
