"""Who may change a workspace: an editor passphrase kept as a scrypt hash. Visitors view;
whoever gives it saves and sees the contacts. On SQLite and a real PostgreSQL, from the CLI
and in the app."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from vawmap.cli import main
from vawmap.dataset import sample_dataset
from vawmap.i18n import t
from vawmap.store import StoreError, create_workspace, save_version, versions_of
from vawmap.store.access import (
    hash_passphrase,
    may_edit,
    needs_passphrase,
    passphrase_matches,
    set_passphrase,
)

APP = str(Path(__file__).parents[1] / "app.py")
PASSPHRASE = "amber-lantern-42"
# Cheap parameters for the hash's own tests; the store uses scrypt's full cost.
FAST = {"n": 2**4, "r": 1, "p": 1}


def test_a_hash_accepts_its_passphrase_and_nothing_else():
    stored = hash_passphrase(PASSPHRASE, **FAST)

    assert passphrase_matches(stored, PASSPHRASE)
    assert not passphrase_matches(stored, PASSPHRASE.upper())
    assert not passphrase_matches(stored, "")
    assert PASSPHRASE not in stored


def test_the_same_passphrase_hashes_differently_each_time():
    assert hash_passphrase(PASSPHRASE, **FAST) != hash_passphrase(PASSPHRASE, **FAST)


@pytest.mark.parametrize("damaged", ["", "scrypt$16$1$1$nonsense", "md5$1$1$1$aa$bb", "scrypt$x$1$1$aa$bb"])
def test_a_damaged_hash_lets_nobody_in(damaged):
    assert not passphrase_matches(damaged, PASSPHRASE)


def test_the_store_uses_scrypts_full_cost():
    scheme, n, r, p, _, _ = hash_passphrase(PASSPHRASE).split("$")

    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)


def test_a_workspace_without_a_passphrase_may_be_changed_by_anyone(store):
    create_workspace(store, "Open")

    assert not needs_passphrase(store, "Open")
    assert may_edit(store, "Open", None)


def test_a_protected_workspace_may_be_changed_only_with_its_passphrase(store):
    create_workspace(store, "Guarded")
    set_passphrase(store, "Guarded", PASSPHRASE)

    assert needs_passphrase(store, "Guarded")
    assert may_edit(store, "Guarded", PASSPHRASE)
    assert not may_edit(store, "Guarded", None)
    assert not may_edit(store, "Guarded", "amber-lantern-43")
    with store.connect() as connection:
        stored = connection.execute(sa.text("SELECT editor_passphrase FROM workspace")).scalar_one()
    assert PASSPHRASE not in stored

    set_passphrase(store, "Guarded", None)
    assert may_edit(store, "Guarded", None)


def test_a_short_passphrase_is_refused(store):
    create_workspace(store, "Guarded")

    with pytest.raises(StoreError) as refused:
        set_passphrase(store, "Guarded", "short")
    assert refused.value.message.key == "store.passphrase_short"
    assert not needs_passphrase(store, "Guarded")


@pytest.fixture
def guarded(app_store) -> str:
    create_workspace(app_store, "Guarded")
    save_version(app_store, "Guarded", sample_dataset().frames, author="Awa")
    set_passphrase(app_store, "Guarded", PASSPHRASE)
    return "Guarded"


def test_the_cli_sets_and_removes_a_passphrase_read_from_stdin(app_store, guarded, monkeypatch, capsys):
    set_passphrase(app_store, guarded, None)
    monkeypatch.setattr("sys.stdin", io.StringIO("another-passphrase\n"))

    assert main(["workspace", "passphrase", guarded]) == 0
    assert may_edit(app_store, guarded, "another-passphrase")
    assert not may_edit(app_store, guarded, None)
    assert main(["workspace", "passphrase", guarded, "--remove"]) == 0
    assert may_edit(app_store, guarded, None)
    assert "another-passphrase" not in capsys.readouterr().out


def test_the_cli_refuses_a_short_passphrase_and_an_unknown_workspace(app_store, guarded, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["workspace", "passphrase", guarded]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    assert main(["workspace", "passphrase", "Nowhere"]) == 2
    assert t("store.unknown_workspace", name="Nowhere") in capsys.readouterr().err


def opened_data_page(name: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["ws"] = name
    app.run()
    return app.switch_page("app_pages/data.py").run()


def save_clicked(app: AppTest) -> AppTest:
    app.text_input(key="author").input("Luis")
    return app.button[[button.label for button in app.button].index(t("data.workspace_save"))].click().run()


def test_a_visitor_views_a_protected_workspace_but_cannot_save_into_it(app_store, guarded):
    app = save_clicked(opened_data_page(guarded))

    assert not app.exception
    assert t("app.view_only") in [caption.value for caption in app.sidebar.caption]
    assert t("store.passphrase_needed", name=guarded) in [error.value for error in app.error]
    assert [version.number for version in versions_of(app_store, guarded)] == [1]


def test_a_wrong_passphrase_is_said_and_unlocks_nothing(app_store, guarded):
    app = opened_data_page(guarded)
    app.sidebar.text_input(key="passphrase").input("not-the-passphrase")
    app = app.sidebar.button[0].click().run()

    assert t("app.passphrase_wrong") in [error.value for error in app.sidebar.error]
    assert t("app.view_only") in [caption.value for caption in app.sidebar.caption]


def test_an_editor_who_gives_the_passphrase_saves_a_version(app_store, guarded):
    app = opened_data_page(guarded)
    app.sidebar.text_input(key="passphrase").input(PASSPHRASE)
    app = save_clicked(app.sidebar.button[0].click().run())

    assert not app.exception
    assert t("app.unlocked") in [caption.value for caption in app.sidebar.caption]
    assert [version.number for version in versions_of(app_store, guarded)] == [1, 2]
    assert app.session_state["unlocked"] == {guarded}  # the fact, not the passphrase


def contacts_shown(app: AppTest) -> bool:
    return any("contact_email" in frame.value.columns for frame in app.dataframe)


def test_contacts_are_shown_to_an_editor_of_a_protected_workspace_only(app_store, guarded):
    visitor = AppTest.from_file(APP, default_timeout=60)
    visitor.query_params["ws"] = guarded
    visitor = visitor.run().switch_page("app_pages/stakeholders.py").run()
    assert not contacts_shown(visitor)

    visitor.sidebar.text_input(key="passphrase").input(PASSPHRASE)
    editor = visitor.sidebar.button[0].click().run()

    assert not editor.exception
    assert contacts_shown(editor)
    emails = next(frame.value for frame in editor.dataframe if "contact_email" in frame.value.columns)
    assert "shelters@example.org" in set(emails["contact_email"])


def test_the_sample_and_an_unprotected_workspace_show_no_contacts(app_store):
    app = AppTest.from_file(APP, default_timeout=60).run().switch_page("app_pages/stakeholders.py").run()

    assert not app.exception
    assert not contacts_shown(app)


def test_the_edit_page_of_a_protected_workspace_offers_no_editor_to_a_visitor(app_store, guarded):
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["ws"] = guarded
    visitor = app.run().switch_page("app_pages/edit.py").run()

    assert not visitor.exception
    assert t("app.view_only") in [info.value for info in visitor.info]
    assert "edit_save" not in [button.key for button in visitor.button]
    visitor.sidebar.text_input(key="passphrase").input(PASSPHRASE)
    editor = visitor.sidebar.button[0].click().run()

    assert not editor.exception
    assert t("app.view_only") not in [info.value for info in editor.info]
    assert "edit_save" in [button.key for button in editor.button]
