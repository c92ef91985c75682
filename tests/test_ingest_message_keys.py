"""Ingest speaks in message keys: every key it can produce is in the catalogues, and no
sentence is written in vawmap/ingest (the edges word the problems, in the user's language).

The keys are enumerated from the code's own data: each reason a value does not convert
(normalise.REASONS), each wide rule and each family of checks (schemas), each vocabulary a
column uses, each kind of file that is no spreadsheet and each way a file cannot be read,
plus every literal key passed to message() in the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from tests.builders import xlsx
from vawmap.cli import _os_error
from vawmap.contract import sheets
from vawmap.i18n import catalogue
from vawmap.ingest import read, schemas
from vawmap.ingest.normalise import REASONS, Unparsed
from vawmap.ingest.pipeline import unparsed_message
from vawmap.ingest.problems import value_kind, vocab_fix
from vawmap.ingest.read import NOT_SPREADSHEETS, UnreadableFile, read_upload
from vawmap.messages import keys_in

ROOT = Path(__file__).parents[1]
INGEST_SOURCES = sorted((ROOT / "vawmap" / "ingest").glob("*.py"))
CLI_SOURCE = ROOT / "vawmap" / "cli.py"
# The functions that build a key from data; each is enumerated by a test below.
KEY_BUILDERS = {"unparsed_message", "value_kind", "read_upload", "schema_message", "_os_error"}
A_VALUE_FAR_FROM_ANY = "zzzz-qqqq"
ALL_COLUMNS = [column for spec in sheets().values() for column in spec.columns.values()]
VOCAB_COLUMNS = [column for column in ALL_COLUMNS if column.vocab]
RANGE_COLUMNS = [column for column in ALL_COLUMNS if column.min is not None or column.max is not None]


def english_keys() -> set[str]:
    return set(catalogue("en"))


def assert_in_catalogue(messages) -> None:
    keys = keys_in([item for item in messages if item is not None])
    assert keys, "no message to check"
    assert sorted(keys - english_keys()) == []


def message_calls(path: Path):
    """(enclosing function, first argument) of every message(...) / Message(...) call in a file."""
    tree = ast.parse(path.read_text())
    for function in [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]:
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("message", "Message") and node.args:
                yield function.name, node.args[0]


def test_no_words_are_made_in_ingest():
    # Only problems.py renders, in the functions the edges call (render_problems, problem_records).
    for path in INGEST_SOURCES:
        tree = ast.parse(path.read_text())
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "t"]
        wording = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "vawmap.i18n"
            for alias in node.names
            if alias.name in ("t", "label")
        ]
        assert (calls, wording) == ([], []), path.name


def test_every_literal_key_in_ingest_and_the_cli_is_in_the_english_catalogue():
    literal = {
        argument.value
        for path in [*INGEST_SOURCES, CLI_SOURCE]
        for _, argument in message_calls(path)
        if isinstance(argument, ast.Constant)
    }
    assert len(literal) > 30
    assert sorted(literal - english_keys()) == []


def test_keys_built_from_data_come_only_from_the_builders_enumerated_here():
    builders = {
        function
        for path in [*INGEST_SOURCES, CLI_SOURCE]
        for function, argument in message_calls(path)
        if not isinstance(argument, ast.Constant)
    }
    assert builders == KEY_BUILDERS


def test_every_reason_a_value_does_not_convert_is_a_reason_with_its_message():
    normalise = ROOT / "vawmap" / "ingest" / "normalise.py"
    used = {
        node.args[0].value
        for node in ast.walk(ast.parse(normalise.read_text()))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_Bad"
    }
    assert used == set(REASONS)
    for column in VOCAB_COLUMNS:
        for why in REASONS:
            item = Unparsed("Helpine; wemen", np.array([0]), why, "wemen" if why == "unknown_item" else None)
            assert_in_catalogue(unparsed_message(item, column))


@pytest.mark.parametrize("rule", sorted(schemas.WIDE_RULES))
def test_every_wide_rule_has_its_message_and_fix(rule):
    name = schemas.WIDE_RULES[rule].column
    column = next(spec.columns[name] for spec in sheets().values() if name in spec.columns)
    said, fix = schemas.schema_message(rule, column, None)
    assert said.key == schemas.WIDE_RULES[rule].message_key
    assert_in_catalogue([said, fix])


@pytest.mark.parametrize("kind", schemas.CHECK_KINDS)
def test_every_family_of_checks_has_its_message_on_every_column_it_can_fail(kind):
    columns = {"isin": VOCAB_COLUMNS, "range": RANGE_COLUMNS}.get(kind, ALL_COLUMNS)
    assert columns
    for column in columns:
        for value in ("12", A_VALUE_FAR_FROM_ANY):
            assert_in_catalogue(schemas.schema_message(kind, column, value))


def test_every_vocabulary_of_the_contract_is_named_and_suggested():
    for column in VOCAB_COLUMNS:
        assert_in_catalogue([value_kind(column.vocab), vocab_fix(column.vocab, A_VALUE_FAR_FROM_ANY)])


@pytest.mark.parametrize("leading_bytes", list(NOT_SPREADSHEETS), ids=list(NOT_SPREADSHEETS.values()))
def test_every_kind_of_file_that_is_no_spreadsheet_is_named(leading_bytes):
    with pytest.raises(UnreadableFile) as unreadable:
        read_upload("file.xlsx", leading_bytes + bytes(64))
    assert_in_catalogue([unreadable.value.message, unreadable.value.suggestion])


UNREADABLE_FILES = {
    "empty": b"",
    "broken_workbook": xlsx({"services": [["Provider"], ["MoH"]]})[:300],
    "password": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
    "binary": bytes(range(256)),
    "unclosed_quote": b'Provider\n"' + b"x" * 140_000,
}


@pytest.mark.parametrize("why", list(UNREADABLE_FILES))
def test_every_way_a_file_cannot_be_read_has_its_message(why):
    with pytest.raises(UnreadableFile) as unreadable:
        read_upload("file.csv", UNREADABLE_FILES[why])
    assert unreadable.value.message.key == f"read.{why}"
    assert_in_catalogue([unreadable.value.message, unreadable.value.suggestion])


def test_a_file_over_the_limit_has_its_message(monkeypatch):
    monkeypatch.setattr(read, "UPLOAD_LIMIT_MB", 0.001)
    with pytest.raises(UnreadableFile) as unreadable:
        read_upload("file.csv", bytes(4096))
    assert_in_catalogue([unreadable.value.message, unreadable.value.suggestion])


@pytest.mark.parametrize("error", [FileNotFoundError(2, "x"), IsADirectoryError(21, "x"), PermissionError(13, "x")])
def test_every_path_the_cli_cannot_read_has_its_message(error):
    assert_in_catalogue([_os_error(error)])
