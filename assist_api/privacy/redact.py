"""Take personal data out of transcripts before they are stored, spooled or logged.

Customer conversations carry e-mail addresses, phone numbers, card numbers, postal codes
and identity or account numbers that neither training nor the ROI report needs. `redact`
replaces each with a token (`[email]`, `[phone]`, `[card]`, `[postal]`, `[number]`) so the
text still reads naturally and the cue phrases the features look for survive. Scoring
runs on the raw text in memory; only what is kept is redacted.

Japanese text often writes digits and punctuation full-width (０９０－１２３４－５６７８) or
uses the long-vowel mark as a dash, so patterns run on a folded copy in which each such
character is replaced by its one-character NFKC (ASCII) form. Folding never changes the
length, so a match at positions i..j of the copy is replaced at i..j of the original.
Kanji numerals (〇一二…九) fold to digits the same way, so 〇九〇－一二三四－五六七八 is a
phone number too.

Digits may be grouped by spaces (one or two), dots, dashes or slashes, and a conversation
is redacted as one text (`redact_utterances`): a number the customer spells out over two
utterances ("090 1234" / "5678") is found across the line break. Where a finding spans
lines, each line's part becomes the token, so the utterances stay one per line.
"""

import re
import unicodedata
from dataclasses import dataclass

TOKENS = {
    "email": "[email]",
    "card": "[card]",
    "phone": "[phone]",
    "postal": "[postal]",
    "number": "[number]",
}
# Unicode blocks whose characters may fold to ASCII digits, letters or punctuation.
FOLD_RANGES = (
    (0x00A0, 0x00A0),  # no-break space
    (0x2000, 0x206F),  # general punctuation: typographic spaces and dashes
    (0x2460, 0x24FF),  # circled digits
    (0x3000, 0x3000),  # ideographic space
    (0xFF01, 0xFF5E),  # full-width ASCII
)
# Written as the dash of a phone or postal number in Japanese and typographic text.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u30fc\uff0d\uff70"
KANJI_DIGITS = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5"}
KANJI_DIGITS |= {"六": "6", "七": "7", "八": "8", "九": "9"}
CARD_DIGITS = (13, 19)
MIN_NUMBER_DIGITS = 8

# Between two digit groups: 1-2 spaces, a dot, dash or slash (spaces around it allowed),
# or a line break between utterances.
_SEP = r"(?:[ \t]{1,2}|[ \t]?[./-][ \t]?|[ \t]*\n[ \t]*)"
# Letters of any script (山田@例え.jp), digits and the usual address punctuation; the
# name part stops at hiragana, so in unspaced Japanese a particle before it (…は) stays.
_EMAIL = re.compile(
    r"(?<![^\W\u3040-\u309f])(?<![.%+-])(?:[^\W\u3040-\u309f]|[.%+-])+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
    r"\.(?:[A-Za-z]{2,}(?![A-Za-z])|[^\W\d_]{2,})"
)
_CARD = re.compile(rf"(?<!\d)\d(?:{_SEP}?\d){{12,18}}(?!\d)")
_PHONE_INTL = re.compile(rf"(?<![A-Za-z0-9+])\+\d{{1,3}}(?:{_SEP}?\(?\d{{1,5}}\)?){{1,6}}(?!\d)")
_PHONE_JP = re.compile(rf"(?<![\d+])\(?0\d{{1,4}}\)?{_SEP}?\(?\d{{1,4}}\)?{_SEP}?\d{{3,4}}(?!\d)")
# (pattern, fewest digits, most digits) of a phone number
_PHONES = ((_PHONE_INTL, 8, 15), (_PHONE_JP, 10, 11))
_PHONE_NANP = re.compile(rf"(?<![\d+])(?:\(\d{{3}}\)|\d{{3}}){_SEP}?\d{{3}}{_SEP}\d{{4}}(?!\d)")
_POSTAL = re.compile(
    r"〒[ \t]*\d{3}(?:[ \t]?-[ \t]?|[ \t])?\d{4}(?!\d)|(?<![\d-])\d{3}-\d{4}(?![\d-])"
)
_NUMBER = re.compile(rf"(?<!\d)(?:\d{{8,}}|\d{{3,}}(?:{_SEP}\d{{3,}})+)(?!\d)")
_MAYBE_PERSONAL = re.compile(r"@|\d{3}")
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str  # a key of TOKENS


def _fold_table() -> dict[int, str]:
    table = {}
    for first, last in FOLD_RANGES:
        for code in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded.isascii() and folded != chr(code):
                table[code] = folded
    table.update({ord(dash): "-" for dash in DASHES})
    table.update({ord(kanji): digit for kanji, digit in KANJI_DIGITS.items()})
    return table


_FOLD = _fold_table()


def luhn_valid(digits: str) -> bool:
    """The card-number checksum: catches a mistyped digit, and most digit runs that are
    not card numbers at all (order numbers, timestamps)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digit_count(match: re.Match) -> int:
    return len(_NOT_DIGIT.sub("", match.group()))


def _candidates(folded: str):
    """(start, end, kind) in priority order: earlier kinds win where matches overlap."""
    for match in _EMAIL.finditer(folded):
        yield match.start(), match.end(), "email"
    for match in _CARD.finditer(folded):
        digits = _NOT_DIGIT.sub("", match.group())
        if CARD_DIGITS[0] <= len(digits) <= CARD_DIGITS[1] and luhn_valid(digits):
            yield match.start(), match.end(), "card"
    for pattern, low, high in _PHONES:
        for match in pattern.finditer(folded):
            if low <= _digit_count(match) <= high:
                yield match.start(), match.end(), "phone"
    for match in _PHONE_NANP.finditer(folded):
        yield match.start(), match.end(), "phone"
    for match in _POSTAL.finditer(folded):
        yield match.start(), match.end(), "postal"
    for match in _NUMBER.finditer(folded):
        if _digit_count(match) >= MIN_NUMBER_DIGITS:
            yield match.start(), match.end(), "number"


def find_personal_data(text: str) -> list[Finding]:
    """Every piece of personal data in `text`, as non-overlapping spans in text order."""
    folded = text if text.isascii() else text.translate(_FOLD)
    if not _MAYBE_PERSONAL.search(folded):
        return []
    taken: list[Finding] = []
    for start, end, kind in _candidates(folded):
        if all(end <= f.start or start >= f.end for f in taken):
            taken.append(Finding(start, end, kind))
    return sorted(taken, key=lambda f: f.start)


def redact(text: str | None) -> str | None:
    """`text` with each piece of personal data replaced by its token (None stays None)."""
    if not text:
        return text
    findings = find_personal_data(text)
    if not findings:
        return text
    parts, position = [], 0
    for finding in findings:
        parts.append(text[position : finding.start])
        lines = text[finding.start : finding.end].count("\n")
        parts.append("\n".join([TOKENS[finding.kind]] * (lines + 1)))
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


def redact_utterances(utterances: list[str]) -> list[str]:
    """Each utterance redacted, the conversation read as one text: a number split over two
    utterances is found whole. Utterances holding a line break are kept as one each."""
    if not utterances:
        return list(utterances)
    marked = [u.replace("\n", " ") for u in utterances]
    return redact("\n".join(marked)).split("\n")
