"""Money as a finance reader expects it: in the configured currency, formatted for the
reader's locale (Babel, CLDR data), and said in words when it is not distinguishable
from zero.

The currency is an ISO 4217 code (setting `currency`, default USD): it decides the
symbol and the number of decimals (JPY none, USD two), the locale decides separators and
symbol placement. Nothing is converted: CLV, wallet change and the cost per agent minute
are all in that one currency.
"""

from babel.numbers import format_currency, get_currency_name, is_currency

DEFAULT_CURRENCY = "USD"
LOCALES = {"en": "en", "ja": "ja_JP"}
WORDS = {
    "en": {
        "zero": "not distinguishable from zero: the 95 % interval runs from {low} to {high}",
        "positive": "above zero: the 95 % interval runs from {low} to {high}",
        "negative": "below zero: the 95 % interval runs from {low} to {high}",
        "none": "no interval yet",
    },
    "ja": {
        "zero": "ゼロと区別できません(95 %信頼区間 {low} 〜 {high})",
        "positive": "ゼロを上回っています(95 %信頼区間 {low} 〜 {high})",
        "negative": "ゼロを下回っています(95 %信頼区間 {low} 〜 {high})",
        "none": "区間はまだ計算できません",
    },
}


def valid_currency(code: str) -> bool:
    """Whether `code` is an ISO 4217 currency Babel knows (e.g. USD, JPY, EUR)."""
    return isinstance(code, str) and code.isupper() and is_currency(code)


def money(value: float | None, currency: str, language: str) -> str:
    """`value` in `currency` for `language` ("–" when unknown)."""
    if value is None:
        return "–"
    return format_currency(value, currency, locale=LOCALES.get(language, "en"))


def currency_name(currency: str, language: str) -> str:
    return get_currency_name(currency, locale=LOCALES.get(language, "en"))


def in_words(amount: dict | None, currency: str, language: str, *, is_money=True) -> str:
    """Where the interval lies relative to zero, in words, with its ends formatted."""
    words = WORDS.get(language, WORDS["en"])
    interval = (amount or {}).get("ci95")
    if not interval:
        return words["none"]
    low, high = interval
    if is_money:
        ends = {"low": money(low, currency, language), "high": money(high, currency, language)}
    else:
        ends = {"low": f"{low:,.0f}", "high": f"{high:,.0f}"}
    key = "zero" if low <= 0 <= high else ("positive" if low > 0 else "negative")
    return words[key].format(**ends)
