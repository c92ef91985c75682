"""vawmap: the frame every page shares (page config, navigation, sidebar).

Run with `streamlit run app.py`. Pages live in app_pages/ rather than pages/: Streamlit
gives a folder named pages/ its older meaning, and a fresh server whose first request is a
deep link would then run the page without this frame (see README).
"""

from pathlib import Path

import streamlit as st

from app_pages.shared import LANGUAGE_KEY, current_dataset, current_workspace, is_protected, md, tr, unlock, unlocked
from vawmap.i18n import t
from vawmap.vocab import LANGUAGES

# A local icon: a ":material/...:" page icon makes the browser fetch it from a font CDN.
st.set_page_config(page_title="vawmap", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide")


def language_name(language: str) -> str:
    """A language's name in itself (Français, Español), as its own catalogue gives it."""
    return t("app.language_name", language)


def offer_unlock(name: str) -> None:
    """A protected workspace: visitors view; the editor passphrase lets this session change it.
    The sidebar runs before the page, so a page drawn after an unlock already offers editing.
    Called for a protected workspace only: whether it is unlocked needs no database read."""
    if not unlocked(name):
        with st.form("unlock", border=False):
            passphrase = st.text_input(tr("app.passphrase"), type="password", key="passphrase")
            if st.form_submit_button(tr("app.unlock")) and not unlock(name, passphrase):
                st.error(tr("app.passphrase_wrong"))
    st.caption(tr("app.unlocked") if unlocked(name) else tr("app.view_only"))


pages = [
    st.Page("app_pages/overview.py", title=tr("nav.overview"), icon=":material/dashboard:", default=True),
    st.Page(
        "app_pages/stakeholders.py", title=tr("nav.stakeholders"), icon=":material/groups:", url_path="stakeholders"
    ),
    st.Page("app_pages/sectors.py", title=tr("nav.sectors"), icon=":material/checklist:", url_path="sectors"),
    st.Page(
        "app_pages/regional_gaps.py", title=tr("nav.regional_gaps"), icon=":material/map:", url_path="regional_gaps"
    ),
    st.Page("app_pages/coordination.py", title=tr("nav.coordination"), icon=":material/hub:", url_path="coordination"),
    st.Page("app_pages/workshop.py", title=tr("nav.workshop"), icon=":material/forum:", url_path="workshop"),
    st.Page("app_pages/data.py", title=tr("nav.data"), icon=":material/table_view:", url_path="data"),
    st.Page("app_pages/edit.py", title=tr("nav.edit"), icon=":material/edit:", url_path="edit"),
]
navigation = st.navigation(pages, position="top")

with st.sidebar:
    st.markdown(f"**{tr('app.title')}** — {tr('app.tagline')}")
    st.selectbox(tr("app.language"), LANGUAGES, key=LANGUAGE_KEY, format_func=language_name)
    dataset = current_dataset()
    st.caption(tr("app.dataset") + ": " + (", ".join(md(name) for name in dataset.sources) or "—"))
    if (workspace := current_workspace()) is not None:
        st.caption(tr("app.workspace", name=md(workspace[0]), number=workspace[1]))
        if is_protected(workspace[0]):
            offer_unlock(workspace[0])

navigation.run()
