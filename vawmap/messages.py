"""Messages: what the domain has to say, as a catalogue key and its parameters.

The domain (ingest, the gap engine, boundaries) never writes a sentence. It returns
`Message(key, params)` values; only the edges — pages, the CLI, exports — turn them into
words with `render(message, language)`. So a language switch re-renders the same results
without recomputing them, and `--json` can give other tools the key and parameters to
translate themselves (`plain(message)`).

A parameter is rendered by its type:
- `Message`: rendered in the same language (a reason inside a finding);
- `Term(vocabulary, value)`: the value's label in that language ("health" -> "Santé");
- `Quantity(number)` and `Percent(share)`: a number as a person writes it;
- a date (datetime.date, pandas.Timestamp): as the language writes it, "7 déc. 2026"
  (`date_text`); one with a time of day also gets the time, in UTC (`datetime_text`);
- `Sentences(messages)`: several messages, one after the other;
- a list or tuple: its items rendered and joined with ", ";
- anything else: as `str()` gives it (names, file names, row numbers).

`render(message, language, escape=...)` passes every text that comes from the data (names,
file names, vocabulary labels) through `escape`, and leaves the catalogue's own words as they
are: a page gives its Markdown escape, so an uploaded name shows as typed and never as markup.

    message("problem.not_number", value="12a")
    render(message("finding.sector_missing", sector=Term("sector", "health"), tier=...), "fr")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import (
    format_compact_decimal,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
)

from vawmap.i18n import DEFAULT_LANGUAGE, label, t

LIST_SEPARATOR = ", "
# Babel's (CLDR's) "medium" date: the month in letters, so 07/12 and 12/07 cannot be confused:
# Dec 7, 2026 · 7 déc. 2026 · 7 dic 2026. A time of day is Babel's "short" time, in UTC.
DATE_FORMAT, TIME_FORMAT = "medium", "short"
NO_DATE = "—"


@dataclass(frozen=True)
class Message:
    """A catalogue key (see vawmap/locales/) and the values for its placeholders."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def message(key: str, **params: Any) -> Message:
    """A Message, its parameters given by name."""
    return Message(key, params)


@dataclass(frozen=True)
class Term:
    """A value of a controlled vocabulary (data/vocab.toml), shown by its label."""

    vocabulary: str
    value: str


@dataclass(frozen=True)
class Quantity:
    """A count or an amount: 20, 0.4, 1,118,546 (one decimal below 10, none above)."""

    value: float | None


@dataclass(frozen=True)
class Percent:
    """A share shown as a percentage: 0.45 -> 45% (with `digits` decimals: 0.506 -> 50.6%)."""

    value: float | None
    digits: int = 0


@dataclass(frozen=True)
class Sentences:
    """Several messages read one after the other (the problems of one referral pathway)."""

    messages: tuple[Message, ...]


def render(value: Any, language: str = DEFAULT_LANGUAGE, escape: Callable[[str], str] | None = None) -> str:
    """A message (or any parameter value) in words, in `language`. `escape`, when given, is
    applied to each text the data brought in (a name, a label), never to the catalogue's
    words nor to the numbers: only here is it known which part of a sentence is which."""
    if isinstance(value, Message):
        params = {name: render(item, language, escape) for name, item in value.params.items()}
        return t(value.key, language, **params)
    if isinstance(value, Term):
        return _escaped(label(value.vocabulary, value.value, language), escape)
    if isinstance(value, Quantity):
        return quantity_text(value.value, language)
    if isinstance(value, Percent):
        return percent_text(value.value, value.digits, language)
    if isinstance(value, Sentences):
        return " ".join(render(item, language, escape) for item in value.messages)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(render(item, language, escape) for item in value)
    if isinstance(value, (dt.date, np.datetime64)):
        return moment_text(value, language)
    return "" if value is None else _escaped(str(value), escape)


def _escaped(text: str, escape: Callable[[str], str] | None) -> str:
    return text if escape is None else escape(text)


def render_all(values: Iterable[Any], language: str = DEFAULT_LANGUAGE) -> list[str | None]:
    """Each value rendered; a blank (None) stays None."""
    return [None if value is None else render(value, language) for value in values]


def quantity_text(value: float | None, language: str = DEFAULT_LANGUAGE) -> str:
    """A quantity as a person of the language writes it (Babel, from the Unicode CLDR): 20,
    0.4, 1,118,546 in English; 0,4 and 1 118 546 in French; 0,4 and 1.118.546 in Spanish;
    '?' when unknown."""
    if _is_nan(value):
        return "?"
    assert value is not None
    if value >= 10 or float(value).is_integer():
        return format_decimal(round(value), format="#,##0", locale=_locale(language))
    return format_decimal(value, format="0.0", locale=_locale(language))


def compact_text(value: float, language: str = DEFAULT_LANGUAGE) -> str:
    """A large number shortened as the language shortens it, for a narrow figure: 170K and 1.2M
    in English, 170 k and 1,2 M in French, 170 mil and 1,2 M in Spanish (a decimal only when a
    single digit stands before the unit)."""
    digits = 1 if abs(value) >= 1_000 and len(str(int(abs(value)))) % 3 == 1 else 0
    return format_compact_decimal(value, format_type="short", fraction_digits=digits, locale=_locale(language))


def number_separators(language: str = DEFAULT_LANGUAGE) -> str:
    """The language's decimal sign then its thousands separator (Babel): '.,' in English,
    ',\u202f' in French, ',.' in Spanish; what plotly's layout.separators takes."""
    locale = _locale(language)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def percent_text(value: float | None, digits: int = 0, language: str = DEFAULT_LANGUAGE) -> str:
    """A share as a percentage in the language's way: 45% in English, 45 % in French."""
    if _is_nan(value):
        return "?"
    assert value is not None
    return format_percent(value, format=_percent_pattern(language, digits), locale=_locale(language))


def date_text(value: object, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as a person of the language writes it (Babel's medium format): Dec 7, 2026 in
    English, 7 déc. 2026 in French, 7 dic 2026 in Spanish. Takes a date, a datetime, a
    pandas Timestamp, a numpy datetime64 or an ISO text; '—' when there is none, and a text
    that is no date as it is."""
    moment = _moment(value)
    if moment is None:
        return NO_DATE if _is_nan(value) else str(value)
    return format_date(moment.date(), format=DATE_FORMAT, locale=_locale(language))


def datetime_text(value: object, language: str = DEFAULT_LANGUAGE) -> str:
    """A moment as the language writes it, said to be UTC (a version saved, a dataset loaded):
    Dec 7, 2026, 10:05 PM UTC · 7 déc. 2026, 22:05 UTC · 7 dic 2026, 22:05 UTC. A naive
    value is taken to be UTC already (the store and the dataset keep UTC)."""
    moment = _moment(value)
    if moment is None:
        return NO_DATE if _is_nan(value) else str(value)
    locale = _locale(language)
    day = format_date(moment.date(), format=DATE_FORMAT, locale=locale)
    time = format_time(moment, format=TIME_FORMAT, locale=locale)
    pattern = str(locale.datetime_formats[DATE_FORMAT]).replace("'", "")
    return pattern.replace("{1}", day).replace("{0}", time) + " UTC"


def moment_text(value: object, language: str = DEFAULT_LANGUAGE) -> str:
    """`date_text` for a date or a moment at midnight, `datetime_text` for one with a time of day."""
    moment = _moment(value)
    if moment is not None and moment.time() != dt.time():
        return datetime_text(moment, language)
    return date_text(value, language)


def date_pattern(language: str = DEFAULT_LANGUAGE) -> str:
    """The language's all-digit date, as Streamlit's date widgets and columns take it:
    YYYY-MM-DD in English, DD/MM/YYYY in French and Spanish (locales/*.toml, format.date_numeric)."""
    return t("format.date_numeric", language)


def excel_date_format(language: str = DEFAULT_LANGUAGE) -> str:
    """The same all-digit date as an Excel number format: yyyy-mm-dd, dd/mm/yyyy."""
    return date_pattern(language).lower()


def _moment(value: object) -> pd.Timestamp | None:
    """A value as a naive UTC Timestamp, or None when it is none or no date."""
    if _is_nan(value) or isinstance(value, (bool, int, float)):
        return None
    try:  # text only in ISO form: "May" or "01/02/2026" would be guessed (month first), not read
        moment = pd.Timestamp(dt.datetime.fromisoformat(value.strip()) if isinstance(value, str) else value)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(moment):
        return None
    return moment.tz_convert("UTC").tz_localize(None) if moment.tzinfo is not None else moment


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    """The language's CLDR locale; English's for a language CLDR does not know (a catalogue
    being added under a made-up code)."""
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


@lru_cache(maxsize=16)
def _percent_pattern(language: str, digits: int) -> str:
    """The language's percent pattern ("#,##0 %" in French) with `digits` decimals."""
    pattern = _locale(language).percent_formats[None].pattern
    if digits:
        head, tail = pattern.rsplit("0", 1)
        pattern = f"{head}0.{'0' * digits}{tail}"
    return pattern


def plain(value: Any) -> Any:
    """A JSON-ready form: a message as {"key", "params"}, a term as its value, a number as itself."""
    if isinstance(value, Message):
        return {"key": value.key, "params": {name: plain(item) for name, item in value.params.items()}}
    if isinstance(value, Term):
        return value.value
    if isinstance(value, (Quantity, Percent)):
        return None if _is_nan(value.value) else value.value
    if isinstance(value, Sentences):
        return [plain(item) for item in value.messages]
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (dt.date, np.datetime64)):
        moment = _moment(value)
        if moment is None:
            return None
        return moment.date().isoformat() if moment.time() == dt.time() else moment.isoformat()
    if hasattr(value, "item"):  # a numpy number
        value = value.item()
    return None if _is_nan(value) else value


def described(message_value: Message | None, name: str = "", language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The fields a JSON record gives a message: its text in `language` (English by default,
    so other tools can read it as before), its key and its parameters. `name` prefixes the
    key and params fields ("reason" -> reason, reason_key, reason_params); without it the
    fields are text, key and params."""
    text_field = name or "text"
    prefix = f"{name}_" if name else ""
    if message_value is None:
        return {text_field: None, f"{prefix}key": None, f"{prefix}params": None}
    found = plain(message_value)
    return {
        text_field: render(message_value, language),
        f"{prefix}key": found["key"],
        f"{prefix}params": found["params"],
    }


def keys_in(values: Sequence[Any]) -> set[str]:
    """Every catalogue key a message (or its nested messages) uses: for the catalogue tests."""
    found: set[str] = set()
    for value in values:
        if isinstance(value, Message):
            found.add(value.key)
            found |= keys_in(list(value.params.values()))
        elif isinstance(value, Sentences):
            found |= keys_in(value.messages)
        elif isinstance(value, (list, tuple)):
            found |= keys_in(value)
    return found


def _is_nan(value: object) -> bool:
    """None, NaN or pd.NA: a number that is not known."""
    return value is None or (not isinstance(value, (str, list, tuple, dict)) and bool(pd.isna(value)))
