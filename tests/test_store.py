"""The store: workspaces and immutable versions, on SQLite and on a real PostgreSQL server
(tests/postgres_server.py), through the same functions the app and the CLI use."""

from __future__ import annotations

import json
import threading

import pandas as pd
import pytest
import sqlalchemy as sa

from vawmap.cli import main
from vawmap.dataset import SAMPLE_WORKBOOK, sample_dataset
from vawmap.store import (
    NameTaken,
    UnknownWorkspace,
    create_workspace,
    list_workspaces,
    load_version,
    open_store,
    save_version,
    versions_of,
)
from vawmap.store.workspaces import source_record

CONCURRENT_SAVERS = 20


def assert_same_frames(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name])


def test_migrations_make_the_tables_of_an_empty_database(store):
    tables = set(sa.inspect(store).get_table_names())

    assert {"workspace", "version", "version_sheet", "source_file", "alembic_version"} <= tables
    with store.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == newest_migration()


def newest_migration() -> str:
    from alembic.script import ScriptDirectory

    from vawmap.store.database import MIGRATIONS

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_the_same_version_of_two_stores_has_two_tokens(tmp_path):
    # The pages cache what they compute by token: one token for two stores would mix them.
    first, second = (open_store(f"sqlite:///{tmp_path / name}") for name in ("a.sqlite", "b.sqlite"))
    for engine in (first, second):
        create_workspace(engine, "Country A")
        save_version(engine, "Country A", sample_dataset().frames, author="Awa")

    assert load_version(first, "Country A").token != load_version(second, "Country A").token


def test_a_saved_version_loads_back_exactly_and_its_token_names_it(store):
    sample = sample_dataset()
    create_workspace(store, "Country A", "fr")
    data = SAMPLE_WORKBOOK.read_bytes()

    saved = save_version(store, "Country A", sample.frames, author="Awa", sources=[source_record("a.xlsx", data)])
    loaded = load_version(store, "Country A")

    assert_same_frames(loaded.frames, sample.frames)
    assert (saved.number, saved.parent, saved.author) == (1, None, "Awa")
    assert saved.sources == (("a.xlsx", source_record("a.xlsx", data)[1], len(data)),)
    assert saved.rows == sample.counts()
    assert loaded.sources == ("a.xlsx",)
    assert loaded.token == load_version(store, "Country A", 1).token != sample.token


def test_each_save_adds_a_version_and_leaves_the_earlier_ones_as_they_were(store):
    sample = sample_dataset()
    create_workspace(store, "Country B")
    save_version(store, "Country B", sample.frames, author="Awa", note="from the workshop file")
    fewer = {**sample.frames, "regions": sample["regions"].head(3)}

    second = save_version(store, "Country B", fewer, author="Luis", note="three regions")

    assert (second.number, second.parent) == (2, 1)
    assert_same_frames(load_version(store, "Country B", 1).frames, sample.frames)
    assert len(load_version(store, "Country B")["regions"]) == 3
    assert [version.note for version in versions_of(store, "Country B")] == ["from the workshop file", "three regions"]
    [space] = list_workspaces(store)
    assert (space.name, space.versions, space.latest) == ("Country B", 2, 2)


def test_a_save_names_the_version_it_started_from(store):
    sample = sample_dataset()
    create_workspace(store, "Country C")
    for _ in range(3):
        save_version(store, "Country C", sample.frames, author="Awa")

    branch = save_version(store, "Country C", sample.frames, author="Luis", parent=1)

    assert (branch.number, branch.parent) == (4, 1)


def test_names_and_versions_that_do_not_exist_are_said_as_messages(store):
    create_workspace(store, "Country D")

    with pytest.raises(NameTaken) as taken:
        create_workspace(store, "Country D")
    with pytest.raises(UnknownWorkspace) as unknown:
        load_version(store, "Nowhere")
    with pytest.raises(UnknownWorkspace) as empty:
        load_version(store, "Country D")

    assert (taken.value.message.key, unknown.value.message.key, empty.value.message.key) == (
        "store.name_taken",
        "store.unknown_workspace",
        "store.no_version",
    )


def test_concurrent_savers_lose_no_version(store):
    sample = sample_dataset()
    create_workspace(store, "Country E")
    errors: list[BaseException] = []

    def save(number: int) -> None:
        regions = sample["regions"].assign(population=sample["regions"]["population"] + number)
        try:
            save_version(store, "Country E", {**sample.frames, "regions": regions}, author=f"writer {number}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(number,)) for number in range(CONCURRENT_SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    versions = versions_of(store, "Country E")
    assert [version.number for version in versions] == list(range(1, CONCURRENT_SAVERS + 1))
    for version in versions:  # each version holds what its writer saved
        writer = int(version.author.split()[-1])
        regions = load_version(store, "Country E", version.number)["regions"]
        assert (regions["population"] - sample["regions"]["population"] == writer).all()


# ── the CLI, on the store the app uses ───────────────────────────────────────


def test_workspace_import_list_export_and_import_again_loses_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)
    exported = tmp_path / "country.xlsx"

    assert main(["workspace", "import", str(SAMPLE_WORKBOOK), "--name", "Sample copy", "--author", "Awa"]) == 0
    assert main(["workspace", "export", "Sample copy", "-o", str(exported)]) == 0
    assert main(["workspace", "import", str(exported), "--name", "Round trip", "--note", "back"]) == 0
    capsys.readouterr()
    assert main(["workspace", "list", "--json"]) == 0

    listed = json.loads(capsys.readouterr().out)
    assert [(space["name"], space["versions"], space["latest"]) for space in listed] == [
        ("Round trip", 1, 1),
        ("Sample copy", 1, 1),
    ]
    store = open_store()
    assert_same_frames(load_version(store, "Round trip").frames, load_version(store, "Sample copy").frames)
    assert_same_frames(load_version(store, "Sample copy").frames, sample_dataset().frames)


def test_workspace_commands_say_what_is_wrong_and_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)

    assert main(["workspace", "export", "Nowhere", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert main(["workspace", "import", str(tmp_path / "missing.xlsx"), "--name", "X"]) == 2

    said = capsys.readouterr()
    assert "There is no workspace called 'Nowhere'." in said.err
    assert "missing.xlsx" in said.out + said.err
    assert "Nothing was saved to the workspace 'X'" in said.err
    assert list_workspaces(open_store()) == []


# ── comparing two versions ───────────────────────────────────────────────────


def test_comparing_two_versions_names_what_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VAWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAWMAP_DATABASE_URL", raising=False)
    sample = sample_dataset()
    store = open_store()
    create_workspace(store, "Country F")
    save_version(store, "Country F", sample.frames, author="Awa")
    actors = sample["actors"].iloc[1:].copy()  # the first actor leaves the table
    changed = actors.index[0]
    influence = 1 if actors.at[changed, "influence"] != 1 else 2
    actors.at[changed, "influence"] = influence
    post_rape_care = sample["services"]["service_type"] == "post_rape_care"
    services = sample["services"][~post_rape_care]
    save_version(store, "Country F", {**sample.frames, "actors": actors, "services": services}, author="Awa")

    assert main(["workspace", "compare", "Country F", "1", "2", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert [actor["actor_id"] for actor in report["actors"]["removed"]] == [sample["actors"]["actor_id"].iloc[0]]
    assert report["actors"]["added"] == []
    assert [(row["actor_id"], row["field"], row["after"]) for row in report["actors"]["changed"]] == [
        (actors.at[changed, "actor_id"], "influence", str(influence))
    ]
    assert sum(row["services"] for row in report["services"]["removed"]) == int(post_rape_care.sum())
    assert {row["service_type"] for row in report["services"]["removed"]} == {"post_rape_care"}
    assert report["services"]["added"] == []
    assert {row["standard"] for row in report["ratios"]} == {"sexual_assault_centres"}
    assert all(row["after"] < row["before"] for row in report["ratios"])  # one-stop centres still count
    regions_without = {row["region"] for row in report["ratios"] if row["after"] == 0}
    new_gaps = {
        finding["region"] for finding in report["findings"]["new"] if finding["key"].startswith("finding.absent")
    }
    assert regions_without <= new_gaps  # each region left with no post-rape care is a new finding
    assert all(finding["key"] and finding["text"] for finding in report["findings"]["new"])
