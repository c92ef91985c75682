"""Editing a workspace: the three-way merge of a sheet (vawmap/editing.py), and edits saved to
the store on SQLite and on a real PostgreSQL: different cells merge, the same cell changed twice
is a conflict that shows both values, invalid rows are not saved, hidden cells stay as they
were, and twenty people saving at once lose nothing."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vawmap import editing
from vawmap.dataset import sample_dataset
from vawmap.editing import (
    MINE,
    ROW,
    THEIRS,
    Choice,
    editor_frame,
    keyed_version,
    merge_sheet,
    save_edit,
    with_row_keys,
)
from vawmap.privacy import LOCATING_COLUMNS, confidential_services
from vawmap.store import create_workspace, load_version, save_version, versions_of
from vawmap.store.workspaces import ROW_KEY

CONCURRENT_EDITORS = 20
ACTORS = 6  # the sample's first actors: enough rows for the merge's cases, small enough to read
TEXT_COLUMNS = ("name", "acronym", "notes")
WORKSPACE = "Country E"


def actors() -> pd.DataFrame:
    return with_row_keys("actors", sample_dataset()["actors"].head(ACTORS).reset_index(drop=True))


def edited(frame: pd.DataFrame, row: int, column: str, value: object) -> pd.DataFrame:
    changed = frame.copy()
    changed.loc[row, column] = value
    return changed


def key_of(frame: pd.DataFrame, row: int) -> str:
    return frame.loc[row, ROW_KEY]


# ── the merge ────────────────────────────────────────────────────────────────


def test_actors_are_keyed_by_their_id_and_other_rows_by_their_content():
    sample = sample_dataset()

    keyed = with_row_keys("actors", sample["actors"])
    links, again = with_row_keys("links", sample["links"]), with_row_keys("links", sample["links"].iloc[::-1])

    assert keyed[ROW_KEY].tolist() == ["actor:" + actor_id for actor_id in sample["actors"]["actor_id"]]
    assert links[ROW_KEY].is_unique
    assert set(links[ROW_KEY]) == set(again[ROW_KEY])  # the same rows, in another order: the same keys


def test_changes_to_different_cells_of_one_row_and_to_different_rows_merge():
    base = actors()
    mine = edited(edited(base, 0, "influence", 1), 2, "notes", "met the minister")
    theirs = edited(edited(base, 0, "interest", 5), 3, "engagement", "committed")

    merged = merge_sheet("actors", base, mine, theirs)

    assert merged.conflicts == []
    assert merged.frame.loc[0, ["influence", "interest"]].tolist() == [1, 5]
    assert merged.frame.loc[2, "notes"] == "met the minister"
    assert merged.frame.loc[3, "engagement"] == "committed"
    assert len(merged.frame) == ACTORS


def test_the_same_cell_changed_to_different_values_is_a_conflict_with_both_values():
    base = actors()
    mine, theirs = edited(base, 1, "influence", 2), edited(base, 1, "influence", 3)

    merged = merge_sheet("actors", base, mine, theirs)

    [conflict] = merged.conflicts
    assert (conflict.sheet, conflict.key, conflict.column) == ("actors", key_of(base, 1), "influence")
    assert (conflict.base, conflict.mine, conflict.theirs) == (base.loc[1, "influence"], 2, 3)
    assert conflict.row["name"] == base.loc[1, "name"]


def test_the_same_value_written_on_both_sides_is_no_conflict():
    base = actors()
    both = edited(base, 1, "notes", "agreed")

    merged = merge_sheet("actors", base, both, both)

    assert merged.conflicts == [] and merged.frame.loc[1, "notes"] == "agreed"


@pytest.mark.parametrize("side, kept", [(MINE, 2), (THEIRS, 3)])
def test_a_conflict_decided_takes_the_side_chosen(side, kept):
    base = actors()
    mine, theirs = edited(base, 1, "influence", 2), edited(base, 1, "influence", 3)
    [conflict] = merge_sheet("actors", base, mine, theirs).conflicts

    merged = merge_sheet("actors", base, mine, theirs, {("actors", conflict.key, "influence"): conflict.choose(side)})

    assert merged.conflicts == [] and merged.frame.loc[1, "influence"] == kept


def test_a_choice_made_on_a_value_changed_since_is_asked_again():
    base = actors()
    mine, theirs = edited(base, 1, "influence", 2), edited(base, 1, "influence", 3)
    [conflict] = merge_sheet("actors", base, mine, theirs).conflicts
    newer = edited(base, 1, "influence", 4)

    merged = merge_sheet("actors", base, mine, newer, {("actors", conflict.key, "influence"): conflict.choose(MINE)})

    [asked] = merged.conflicts
    assert (asked.mine, asked.theirs) == (2, 4)


def test_a_row_deleted_by_one_side_and_left_alone_by_the_other_is_deleted():
    base = actors()
    mine = base.drop(index=4).reset_index(drop=True)

    merged = merge_sheet("actors", base, mine, edited(base, 0, "notes", "elsewhere"))

    assert key_of(base, 4) not in set(merged.frame[ROW_KEY])
    assert merged.conflicts == [] and merged.frame.loc[0, "notes"] == "elsewhere"


@pytest.mark.parametrize("deleted_by", [MINE, THEIRS])
def test_a_row_deleted_by_one_side_and_changed_by_the_other_is_a_conflict_that_keeps_the_change(deleted_by):
    base = actors()
    deleted, changed = base.drop(index=4).reset_index(drop=True), edited(base, 4, "notes", "still active")
    mine, theirs = (deleted, changed) if deleted_by == MINE else (changed, deleted)

    merged = merge_sheet("actors", base, mine, theirs)
    [conflict] = merged.conflicts
    keep = THEIRS if deleted_by == MINE else MINE
    decided = merge_sheet("actors", base, mine, theirs, {("actors", conflict.key, ROW): conflict.choose(keep)})

    assert (conflict.column, conflict.row["notes"]) == (ROW, "still active")
    assert (conflict.mine if deleted_by == MINE else conflict.theirs) is None
    kept = decided.frame.set_index(ROW_KEY).loc[key_of(base, 4)]
    assert kept["notes"] == "still active"


def test_rows_added_on_both_sides_are_both_kept():
    base = actors()
    mine = pd.concat([base, base.iloc[[0]].assign(**{ROW_KEY: "new:mine", "name": "Mine"})], ignore_index=True)
    theirs = pd.concat([base, base.iloc[[0]].assign(**{ROW_KEY: "new:theirs", "name": "Theirs"})], ignore_index=True)

    merged = merge_sheet("actors", base, mine, theirs)

    assert merged.frame["name"].tolist()[-2:] == ["Theirs", "Mine"]


def test_a_choice_has_the_side_and_the_value_seen():
    base = actors()
    [conflict] = merge_sheet("actors", base, edited(base, 1, "notes", "a"), edited(base, 1, "notes", "b")).conflicts

    assert conflict.choose(THEIRS) == Choice(THEIRS, repr("b"))


cells = st.lists(
    st.tuples(st.integers(0, ACTORS - 1), st.sampled_from(TEXT_COLUMNS), st.text("abcdefgh ", min_size=1, max_size=8)),
    max_size=12,
    unique_by=lambda cell: cell[:2],
)


@given(cells=cells, split=st.integers(0, 12))
def test_edits_to_disjoint_cells_always_merge_with_nothing_lost(cells, split):
    base = actors()
    mine, theirs = base.copy(), base.copy()
    for number, (row, column, value) in enumerate(cells):
        (mine if number < split else theirs).loc[row, column] = value

    merged = merge_sheet("actors", base, mine, theirs)

    assert merged.conflicts == []
    for row, column, value in cells:
        assert merged.frame.loc[row, column] == value
    untouched = [
        (row, column) for row in range(ACTORS) for column in TEXT_COLUMNS if (row, column) not in {c[:2] for c in cells}
    ]
    for row, column in untouched:
        assert (
            merged.frame.loc[row, column] is base.loc[row, column]
            or merged.frame.loc[row, column] == base.loc[row, column]
        )


# ── edits saved to the store ─────────────────────────────────────────────────


@pytest.fixture
def workspace(store) -> str:
    create_workspace(store, WORKSPACE)
    save_version(store, WORKSPACE, sample_dataset().frames, author="Awa")
    return WORKSPACE


def editor(store, sheet: str, number: int = 1) -> pd.DataFrame:
    return editor_frame(sheet, keyed_version(store, WORKSPACE, number)[sheet]).copy()


def test_two_edits_of_one_version_are_both_in_the_newest(store, workspace):
    first, second = editor(store, "actors"), editor(store, "actors")
    first.iloc[0, first.columns.get_loc("influence")] = 1
    second.iloc[0, second.columns.get_loc("notes")] = "chairs the committee"

    one = save_edit(store, workspace, 1, {"actors": first}, "Awa", "influence")
    two = save_edit(store, workspace, 1, {"actors": second}, "Luis", "notes")

    assert (one.saved.number, two.saved.number, two.saved.parent) == (2, 3, 1)
    newest = load_version(store, workspace)["actors"]
    assert (newest.loc[0, "influence"], newest.loc[0, "notes"]) == (1, "chairs the committee")
    assert ROW_KEY not in newest


def test_a_conflicting_edit_saves_nothing_until_decided(store, workspace):
    first, second = editor(store, "actors"), editor(store, "actors")
    first.iloc[0, first.columns.get_loc("influence")] = 1
    second.iloc[0, second.columns.get_loc("influence")] = 5
    save_edit(store, workspace, 1, {"actors": first}, "Awa")

    refused = save_edit(store, workspace, 1, {"actors": second}, "Luis")
    [conflict] = refused.conflicts
    decided = save_edit(
        store,
        workspace,
        1,
        {"actors": second},
        "Luis",
        choices={(c.sheet, c.key, c.column): c.choose(MINE) for c in [conflict]},
    )

    assert refused.saved is None and (conflict.mine, conflict.theirs) == (5, 1)
    assert decided.saved.number == 3 and len(versions_of(store, workspace)) == 3
    assert load_version(store, workspace)["actors"].loc[0, "influence"] == 5
    assert load_version(store, workspace, 2)["actors"].loc[0, "influence"] == 1  # nothing lost: version 2 has it


def test_invalid_edited_rows_are_not_saved_and_their_problems_name_the_cell(store, workspace):
    actors_shown = editor(store, "actors")
    actors_shown.iloc[1, actors_shown.columns.get_loc("sector")] = "astrology"
    actors_shown.iloc[2, actors_shown.columns.get_loc("notes")] = "valid change"
    added = pd.DataFrame([{"name": "No type", "sector": "health", "level": "national"}])
    before = load_version(store, workspace)["actors"]

    outcome = save_edit(store, workspace, 1, {"actors": pd.concat([actors_shown, added], ignore_index=True)}, "Awa")

    newest = load_version(store, workspace)["actors"]
    cells = {(problem.key, problem.column, problem.message.key) for problem in outcome.problems if problem.refused}
    assert (actors_shown.loc[1, ROW_KEY], "sector", "problem.unknown_value") in cells
    assert any(column == "actor_type" and key.startswith("new:") for key, column, _ in cells)
    assert newest.loc[1, "sector"] == before.loc[1, "sector"]  # the refused edit is not saved
    assert newest.loc[2, "notes"] == "valid change"
    assert len(newest) == len(before)  # the invalid new row is left out


def test_hidden_shelter_locations_never_reach_the_editor_and_survive_an_edit(store, workspace):
    shown = editor(store, "services")
    stored = load_version(store, workspace)["services"]
    hidden = confidential_services(stored)
    assert hidden.any() and shown[list(LOCATING_COLUMNS)][hidden].isna().all().all()
    shown.loc[hidden.nonzero()[0][0], "capacity"] = 40

    save_edit(store, workspace, 1, {"services": shown}, "Awa")

    newest = load_version(store, workspace)["services"]
    pd.testing.assert_frame_equal(newest[list(LOCATING_COLUMNS)], stored[list(LOCATING_COLUMNS)])
    assert newest.loc[hidden.nonzero()[0][0], "capacity"] == 40


def test_a_save_overtaken_after_its_merge_merges_again_against_the_newer_version(store, workspace, monkeypatch):
    """Another process's save lands between this save's merge and its write: the write is refused
    (save_version(after=...)) and the edit is merged again, so neither change is lost."""
    real, overtaken = editing.newest_version, []

    def newest_then_overtaken(engine, name):
        number = real(engine, name)
        if not overtaken:  # the first time: another save lands just after this one looked
            frames = load_version(engine, name).frames
            frames["actors"].loc[5, "notes"] = "saved elsewhere"
            overtaken.append(save_version(engine, name, frames, author="Other").number)
        return number

    monkeypatch.setattr(editing, "newest_version", newest_then_overtaken)
    shown = editor(store, "actors")
    shown.loc[4, "notes"] = "saved here"

    outcome = save_edit(store, workspace, 1, {"actors": shown}, "Awa")

    assert (overtaken, outcome.saved.number) == ([2], 3)
    newest = load_version(store, workspace)["actors"]
    assert newest.loc[4:5, "notes"].tolist() == ["saved here", "saved elsewhere"]


def test_twenty_people_saving_edits_at_once_lose_no_update(store):
    sample = sample_dataset()  # a small workspace: each save that comes second merges again
    create_workspace(store, WORKSPACE)
    save_version(
        store,
        WORKSPACE,
        {"actors": sample["actors"].head(CONCURRENT_EDITORS), "regions": sample["regions"]},
        author="Awa",
    )
    errors: list[BaseException] = []

    def edit(number: int) -> None:
        try:
            shown = editor(store, "actors")
            shown.iloc[number, shown.columns.get_loc("notes")] = f"note {number}"
            outcome = save_edit(store, WORKSPACE, 1, {"actors": shown}, f"writer {number}")
            assert outcome.saved is not None and not outcome.conflicts
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=edit, args=(number,)) for number in range(CONCURRENT_EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(versions_of(store, WORKSPACE)) == CONCURRENT_EDITORS + 1
    notes = load_version(store, WORKSPACE)["actors"]["notes"]
    assert notes.fillna("lost").tolist() == [f"note {number}" for number in range(CONCURRENT_EDITORS)]
