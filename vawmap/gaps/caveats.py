"""What the loaded data cannot support: sheets that are empty or mostly set aside, and the
findings withheld because they are drawn from them.

A real 3W table whose rows are mostly set aside on upload leaves the services sheet nearly
empty; findings drawn from it would then read "no shelter is listed for <region>" for every
region, reporting what the upload lost as a gap in the response. So the edges say first which
sheets are too thin to conclude from, and withhold the kinds of finding that need them
(`FINDING_NEEDS` in findings.py). Everything here is data: messages (keys and parameters) the
Overview and the CLI put into words.

The intake of a sheet (rows read, loaded, set aside) comes from the upload that supplied it:
`intake_of(result)` for one upload, `intake_after(...)` as uploads are loaded one after another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from vawmap.contract import SHEET_ORDER
from vawmap.gaps.findings import FINDING_NEEDS, Finding
from vawmap.i18n import DEFAULT_LANGUAGE
from vawmap.ingest import ERROR, IngestResult
from vawmap.messages import Message, Quantity, described, message

# A sheet more than half of whose rows were set aside with errors is mostly a list of what the
# upload could not read: what is left is too partial to say what is missing in the response.
MOSTLY_SET_ASIDE = 0.5


@dataclass(frozen=True)
class SheetIntake:
    """What became of one sheet's rows on upload."""

    rows: int = 0  # rows read (blank rows are not rows)
    loaded: int = 0
    set_aside: int = 0
    set_aside_with_errors: int = 0  # of those set aside, for an error (not as a repeat of an earlier row)

    def __add__(self, other: SheetIntake) -> SheetIntake:
        return SheetIntake(
            self.rows + other.rows,
            self.loaded + other.loaded,
            self.set_aside + other.set_aside,
            self.set_aside_with_errors + other.set_aside_with_errors,
        )


@dataclass(frozen=True)
class SheetCaveat:
    sheet: str
    message: Message  # why nothing should be concluded from it


@dataclass(frozen=True)
class Withheld:
    kind: str  # a key of FINDING_NEEDS
    because: tuple[str, ...]  # the sheets it needs that are empty or mostly set aside
    message: Message


@dataclass(frozen=True)
class Caveats:
    sheets: tuple[SheetCaveat, ...] = ()
    withheld: tuple[Withheld, ...] = ()

    @property
    def withheld_kinds(self) -> frozenset[str]:
        return frozenset(item.kind for item in self.withheld)

    def shown(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings that are not withheld, in their order."""
        withheld = self.withheld_kinds
        return [finding for finding in findings if finding.kind not in withheld]


def intake_of(result: IngestResult) -> dict[str, SheetIntake]:
    """Each sheet of an upload: rows read, loaded, set aside, and set aside for an error (a row
    set aside as a repeat of an earlier row carries only a warning, and loses nothing)."""
    errors = result.problems[(result.problems["severity"] == ERROR) & result.problems["row"].notna()]
    error_rows = pd.MultiIndex.from_arrays(
        [errors["file"].astype(object), errors["sheet"].astype(object), errors["row"].astype("int64")]
    )
    intake = {}
    for name, counts in result.counts.items():
        aside = result.set_aside.get(name)
        repeats = 0
        if aside is not None and len(aside):
            keys = pd.MultiIndex.from_arrays(
                [aside["_file"].astype(object), aside["_sheet"].astype(object), aside["_row"].astype("int64")]
            )
            repeats = int((~keys.isin(error_rows)).sum())
        intake[name] = SheetIntake(counts.rows, counts.accepted, counts.rejected, counts.rejected - repeats)
    return intake


def intake_after(
    before: Mapping[str, SheetIntake], result: IngestResult, appended: bool, rows_now: Mapping[str, int]
) -> dict[str, SheetIntake]:
    """The intake once `result` is loaded over a dataset whose intake was `before`: a sheet the
    upload replaced takes the upload's counts (added to the earlier ones when `appended`); a
    sheet the upload brought but could not load keeps its rows, and its counts, unless it is
    empty (`rows_now`), where the upload's counts say why."""
    after = dict(before)
    for name, intake in intake_of(result).items():
        if name in result.loadable:
            after[name] = before.get(name, SheetIntake()) + intake if appended else intake
        elif not rows_now.get(name):
            after[name] = intake
    return after


def caveats(rows: Mapping[str, int], intake: Mapping[str, SheetIntake], derived: Mapping[str, int]) -> Caveats:
    """The sheets too thin to conclude from (`rows`: each sheet's loaded rows; `intake`: how its
    upload went, when known; `derived`: how many of the rows were derived from other sheets, as
    actors are from services), and the kinds of finding withheld because they need one."""
    found = []
    for name in SHEET_ORDER:
        made = derived.get(name, 0)
        why = _why_thin(rows.get(name, 0), intake.get(name))
        if why is None and made and made == rows.get(name, 0):
            # Actors made from a 3W's organisation names say who works there, not which sectors
            # are at the table: the findings about sectors wait for an actors sheet.
            why = message("caveat.derived_only", count=Quantity(made))
        if why is not None:
            found.append(SheetCaveat(name, why))
    thin = [caveat.sheet for caveat in found]
    withheld = []
    for kind, needs in FINDING_NEEDS.items():
        because = tuple(name for name in needs if name in thin)
        if because:
            said = message("caveat.withheld", kind=message(f"caveat.kind.{kind}"), sheets=_sheet_names(because))
            withheld.append(Withheld(kind, because, said))
    return Caveats(tuple(found), tuple(withheld))


def _why_thin(rows: int, intake: SheetIntake | None) -> Message | None:
    """Why nothing should be concluded from a sheet with `rows` loaded, or None."""
    lost = 0 if intake is None else intake.set_aside_with_errors
    if intake is not None and lost and (rows == 0 or lost > MOSTLY_SET_ASIDE * intake.rows):
        return message("caveat.set_aside", set_aside=Quantity(lost), rows=Quantity(intake.rows), loaded=Quantity(rows))
    return message("caveat.empty") if rows == 0 else None


def _sheet_names(names: Iterable[str]) -> list[Message]:
    return [message(f"caveat.sheet.{name}") for name in names]


def sheet_caveat_message(caveat: SheetCaveat) -> Message:
    """The caveat as one sentence naming its sheet: "Services: 22 of 25 rows were set aside…"."""
    return message("caveat.of_sheet", sheet=message(f"caveat.sheet.{caveat.sheet}"), why=caveat.message)


def intake_json(intake: Mapping[str, SheetIntake]) -> dict[str, dict[str, int]]:
    """Each of the five sheets as loaded, set aside, set aside with errors (0 when not uploaded)."""
    return {name: vars(intake.get(name, SheetIntake())) for name in SHEET_ORDER}


def ingest_json(intake: Mapping[str, SheetIntake], found: Caveats, language: str = DEFAULT_LANGUAGE) -> dict:
    """The `ingest` object of `gaps --json`: each sheet's rows as loaded and set aside, the sheets
    too thin to conclude from and the kinds of finding withheld, each worded with its key."""
    return {
        "sheets": intake_json(intake),
        "caveats": [{"sheet": caveat.sheet, **described(caveat.message, "", language)} for caveat in found.sheets],
        "withheld": [
            {
                "kind": item.kind,
                "needs": list(FINDING_NEEDS[item.kind]),
                "because": list(item.because),
                **described(item.message, "", language),
            }
            for item in found.withheld
        ],
    }
