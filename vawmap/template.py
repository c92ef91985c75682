"""The Excel template a person fills in and uploads back.

`build_template()` returns the bytes of an .xlsx with an `instructions` sheet, one sheet per
entity of the workbook contract (canonical sheet and column names, a note on every header),
and a hidden `lists` sheet that feeds the dropdowns. The output is byte-for-byte stable for
the same arguments, so it can be cached and compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from vawmap import contract
from vawmap.contract import ColumnSpec
from vawmap.exports import set_text_cell
from vawmap.i18n import t
from vawmap.vocab import LANGUAGES, vocabularies
from vawmap.xlsx import stable_xlsx

LISTS_SHEET = "lists"
INSTRUCTIONS_SHEET = "instructions"
LAST_ROW = 2000  # validations cover rows 2..LAST_ROW
YES_NO = ("yes", "no")
REGION_LIST = "region"
ACTOR_LIST = "actor"

_FIXED_DATE = datetime(2026, 1, 1)  # the template's created, modified and zip entry dates
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
_MIN_WIDTH = {"text": 24, "actor": 28, "actor_list": 36, "vocab_list": 36, "vocab": 22, "region": 20}


# ---------------------------------------------------------------- instructions text

RULES = (
    "required",
    "several_values",
    "yes_no",
    "dropdowns",
    "confidentiality",
    "no_case_data",
    "personal_data",
    "dates",
    "new_names",
)  # keys of [template.rules] in the catalogues


# ---------------------------------------------------------------- public entry point


def build_template(regions: Sequence[str] = (), actors: Sequence[str] = (), language: str = "en") -> bytes:
    """An .xlsx template: instructions, one sheet per entity, hidden dropdown lists.

    `regions` and `actors` (names already known) feed the region and actor dropdowns: none
    given, those columns have no dropdown. `language` (en, fr, es; others fall back to en) is
    the language of the instructions, of the notes on the headers (each opens with the column's
    name in the language) and of the dropdowns' warnings; the headers stay the contract's names.
    """
    language = language if language in LANGUAGES else "en"
    workbook = Workbook()
    _write_instructions(workbook.active, language)
    entity_sheets = [workbook.create_sheet(name) for name in contract.SHEET_ORDER]
    ranges = _write_lists(workbook.create_sheet(LISTS_SHEET), _unique(regions), _unique(actors))
    for ws in entity_sheets:
        _write_entity_sheet(ws, contract.sheet(ws.title).columns, ranges, language)
    workbook.active = 0  # opens on the instructions
    return stable_xlsx(workbook, creator="vawmap", title="vawmap data template", dated=_FIXED_DATE)


# ---------------------------------------------------------------- instructions sheet


def _write_instructions(ws: Worksheet, language: str) -> None:
    def text(key: str) -> str:
        return t(f"template.{key}", language)

    ws.title = INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    ws.column_dimensions["C"].width = 50
    ws.append([text("title")])
    ws["A1"].font = _TITLE
    ws.append([text("intro")])
    _section(ws, text("sheets_heading"), [(name, text(f"sheets.{name}")) for name in contract.SHEET_ORDER])
    _section(ws, text("rules_heading"), [("•", text(f"rules.{rule}")) for rule in RULES])
    _values_table(ws, text, language)
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _section(ws: Worksheet, heading: str, rows: Iterable[tuple[str, str]]) -> None:
    ws.append([])
    ws.append([heading])
    ws.cell(ws.max_row, 1).font = _BOLD
    for first, second in rows:
        ws.append([first, second])


def _values_table(ws: Worksheet, text, language: str) -> None:
    """Every controlled value with its label in the chosen language."""
    ws.append([])
    ws.append([text("values_heading")])
    ws.cell(ws.max_row, 1).font = _BOLD
    ws.append([text("values_list"), text("values_value"), text("values_label")])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for name, vocabulary in vocabularies().items():
        for value in vocabulary.values:
            ws.append([name, value, vocabulary.label(value, language)])


# ---------------------------------------------------------------- hidden lists sheet


def _unique(names: Iterable[str]) -> list[str]:
    """Non-blank names, stripped, first spelling kept, in the order given."""
    seen: dict[str, None] = {}
    for name in names:
        text = "" if name is None else str(name).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _write_lists(ws: Worksheet, regions: list[str], actors: list[str]) -> dict[str, str]:
    """One column per list; returns list name -> absolute range such as `lists!$A$2:$A$12`."""
    columns = {name: vocabulary.values for name, vocabulary in vocabularies().items()}
    columns["yes_no"] = YES_NO
    if regions:
        columns[REGION_LIST] = tuple(regions)
    if actors:
        columns[ACTOR_LIST] = tuple(actors)
    ranges = {}
    for index, (name, values) in enumerate(columns.items(), start=1):
        ws.cell(1, index, name).font = _BOLD
        for row, value in enumerate(values, start=2):
            set_text_cell(ws.cell(row, index), value)
        letter = get_column_letter(index)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = max(len(name), *(len(v) for v in values)) + 2
    ws.sheet_state = "hidden"
    return ranges


# ---------------------------------------------------------------- entity sheets


def _write_entity_sheet(ws: Worksheet, columns: dict[str, ColumnSpec], ranges: dict[str, str], language: str) -> None:
    for index, column in enumerate(columns.values(), start=1):
        cell = ws.cell(1, index, column.name)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.comment = _header_comment(column, language)
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(len(column.name) + 4, _MIN_WIDTH.get(column.kind, 14))
        validation = _validation(column, ranges, language)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"


def _header_comment(column: ColumnSpec, language: str) -> Comment:
    # The column's name in the language first (the header itself is the contract's name, which
    # every language uploads back), then what the column expects, in the language.
    lines = [column.label_in(language)] if language != "en" else []
    help_text = column.help_in(language)
    lines += [help_text] if help_text else []
    if column.required:
        lines.append(t("template.note.required", language))
    allowed = _range_text(column, language)
    if allowed:
        lines.append(t("template.note.allowed", language, range=allowed))
    if column.is_list:
        lines.append(t("template.note.several", language))
    if column.kind == "vocab_list":
        lines.append(t("template.note.vocab_list", language, list=column.vocab))
    comment = Comment("\n".join(lines), "vawmap")
    comment.width, comment.height = 320, 160
    return comment


def _range_text(column: ColumnSpec, language: str) -> str:
    low, high = _number(column.min), _number(column.max)
    if low is not None and high is not None:
        return t("template.note.between", language, low=low, high=high)
    if low is not None:
        return t("template.note.at_least", language, low=low)
    if high is not None:
        return t("template.note.at_most", language, high=high)
    return ""


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _validation(column: ColumnSpec, ranges: dict[str, str], language: str) -> DataValidation | None:
    """The Excel validation for a column, or None."""
    if column.kind == "vocab":
        return _list_validation(ranges[column.vocabulary], column.vocabulary, None, language)
    if column.kind == "yes_no":
        return _list_validation(ranges["yes_no"], "yes_no", None, language)
    if column.kind == "region" and REGION_LIST in ranges:
        title = t("template.note.unknown_region", language)
        return _list_validation(ranges[REGION_LIST], REGION_LIST, title, language)
    if column.kind == "actor" and ACTOR_LIST in ranges:
        title = t("template.note.unknown_actor", language)
        return _list_validation(ranges[ACTOR_LIST], ACTOR_LIST, title, language)
    if column.kind in ("integer", "number") and (column.min is not None or column.max is not None):
        return _number_validation(column, language)
    return None


def _list_validation(source: str, list_name: str, unknown: str | None, language: str) -> DataValidation:
    """A dropdown: strict (stop) for a controlled list; a warning titled `unknown` for a list of
    names, where a new name may be right."""
    if unknown is None:
        style, title = "stop", t("template.note.not_allowed", language)
        message = t("template.note.pick_from_list", language, sheet=LISTS_SHEET, list=list_name)
    else:
        style, title = "warning", unknown
        message = t("template.note.not_in_list", language, sheet=LISTS_SHEET, list=list_name)
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle=style,
        errorTitle=title,
        error=message,
    )


def _number_validation(column: ColumnSpec, language: str) -> DataValidation:
    low, high = _number(column.min), _number(column.max)
    formula1: str | None
    formula2: str | None
    if low is not None and high is not None:
        operator, formula1, formula2 = "between", low, high
    elif low is not None:
        operator, formula1, formula2 = "greaterThanOrEqual", low, None
    else:
        operator, formula1, formula2 = "lessThanOrEqual", high, None
    kind = "whole" if column.kind == "integer" else "decimal"
    said = "template.note.whole_number" if kind == "whole" else "template.note.number"
    return DataValidation(
        type=kind,
        operator=operator,
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=t("template.note.out_of_range", language),
        error=t(said, language, range=_range_text(column, language)),
    )
