"""``newsgen explain``: one file's lines, each marked kept or removed with the rule that removed it."""

from __future__ import annotations

from newsgen.pipeline import Explanation

_RED, _DIM, _YELLOW, _GREEN, _RESET = "\033[31m", "\033[2m", "\033[33m", "\033[32m", "\033[0m"
_LEFT_OUT = 40  # lines of a saved page's left-out text shown: a page's menus run to hundreds
_DATE_FROM = {  # SourceFile.date_from of a saved page: where htmldate found its date
    "url": "from the page's address",
    "html metadata": "from the page's metadata",
    "html text": "from the page's text: htmldate's least sure find",
    "html": "by htmldate",
}
_GIVEN = "from the file's front matter"  # ahead of the page (newsgen import): over the page's own


def format_explanation(explanation: Explanation, colour: bool = False) -> str:
    """The file as text: ``line  kept|rule  text``; ANSI colour only when asked (a terminal, no NO_COLOR)."""
    removed = {r.number: r.rule if r.score is None else f"{r.rule} {r.score:.3f}" for r in explanation.removed}
    body = {line.number: line.text for line in explanation.source.lines}
    first = min(body, default=1)
    width = max((len(rule) for rule in removed.values()), default=4)
    width = max(width, len("front matter"))
    out: list[str] = [f"{explanation.source.path}:"]
    if explanation.source.markup == "html":  # what trafilatura took from the page; the lines are its main text
        out.append(f"{'':>5}  {_DIM if colour else ''}taken from the page's HTML{_RESET if colour else ''}")
        for key, value in explanation.source.front_matter.items():
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            if key == "date":  # a date htmldate guessed from the text is the one to check
                shown += f" ({_DATE_FROM.get(explanation.source.date_from or '', _GIVEN)})"
            out.append(f"{'':>5}  {key:<{width}}  {shown}")
    elif first > 1:  # the front matter block, as one row: its keys are shown by the build, not judged
        span = f"1-{first - 1}"
        out.append(f"{span:>5}  {_DIM if colour else ''}front matter{_RESET if colour else ''}")
    for number, text in sorted(body.items()):
        if number in removed:
            out.append(_row(number, removed[number], text, width, _RED if colour else "", _YELLOW if colour else ""))
        elif text.strip():
            out.append(_row(number, "kept", text, width, "", _GREEN if colour else ""))
        else:
            out.append(f"{number:>5}")
    counts: dict[str, int] = {}
    for line in explanation.removed:
        counts[line.rule] = counts.get(line.rule, 0) + 1
    summary = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())) or "nothing"
    others = explanation.compared_with
    if others is None:
        context = "judged alone (not inside the content folder, so not with the other files of its source)"
    elif others == 0:
        context = "in the content folder, the only scraped-text file of its source (no other to compare with)"
    else:
        context = f"compared with {others} other file{'s' * (others != 1)} of its source"
    if explanation.left_out:
        dropped = explanation.left_out[:_LEFT_OUT]
        more = len(explanation.left_out) - len(dropped)
        out += ["", f"left out of the page's HTML by trafilatura ({len(explanation.left_out)} lines):"]
        out += [f"       {_DIM if colour else ''}{line}{_RESET if colour else ''}" for line in dropped]
        out += [f"       ... and {more} more"] if more else []
    out += ["", f"removed: {summary}", f"{context}; verdict: {explanation.verdict}"]
    if explanation.article is not None:
        out.append(f"title: {explanation.article.title}")
    return "\n".join(out) + "\n"


def _row(number: int, label: str, text: str, width: int, colour: str, label_colour: str = "") -> str:
    reset = _RESET if colour or label_colour else ""
    mark = f"{label_colour}{label:<{width}}{_RESET if label_colour else ''}"
    line = f"{number:>5}  {mark}  {colour}{text}{reset if colour else ''}"
    return line.rstrip()
