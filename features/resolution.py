"""Has the customer said their issue is fixed? Read from their own words.

Some cards only make sense after the issue is solved ("Recap the win once the issue is
solved"); offered before, they read as brushing the customer off. The desk also has a
toggle, which wins; this is the default when the agent has not said. Only the customer's
lines count (agent lines are dropped by parse_transcript), and only the latest cue does:
"it works now" followed by "no, it stopped again" is not resolved.
"""

from features.text import ParsedTranscript, parse_transcript

RESOLVED_PHRASES = (
    " it works now", " it's working now", " its working now", " it is working now",
    " that fixed it", " that did it", " that worked", " it worked", " works perfectly",
    " all sorted", " problem solved", " issue is fixed", " it's fixed", " its fixed",
    " fixed now", " sorted now", " that solved it", " all good now",
    "直りました", "なおりました", "解決しました", "できました", "つながりました", "繋がりました",
    "動きました", "使えるようになりました", "うまくいきました", "上手くいきました",
    "大丈夫になりました", "問題なくなりました",
)  # fmt: skip
UNRESOLVED_PHRASES = (
    " still not", " still doesn't", " still does not", " still can't", " stopped again",
    " not working", " doesn't work", " didn't work", " did not work", " still broken",
    "まだ直", "直りません", "できません", "つながりません", "繋がりません", "動きません",
    "うまくいきません", "上手くいきません", "また止ま", "使えません",
)  # fmt: skip


def _last_position(text: str, phrases: tuple[str, ...]) -> int:
    return max((text.rfind(phrase) for phrase in phrases), default=-1)


def resolved_in(parsed: ParsedTranscript | None) -> bool | None:
    """True / False from the customer's latest cue; None when they have not said."""
    if parsed is None:
        return None
    text = parsed.match_text
    resolved = _last_position(text, RESOLVED_PHRASES)
    unresolved = _last_position(text, UNRESOLVED_PHRASES)
    if resolved == unresolved == -1:
        return None
    return resolved > unresolved


def issue_resolved(transcript: object) -> bool | None:
    """`resolved_in` for a raw transcript (str, or list of utterances)."""
    return resolved_in(parse_transcript(transcript))
