"""What the report says, worded in one language: its sections, each a few sentences, tables and
figures, built from a Dataset and its Assessment with the pages' own table builders.

The report is an edge, like the pages and the CLI: here the Messages of the assessment become
words (`render`). The HTML and Excel writers only lay the content out, so both say the same.

What may leave the server follows the pages' rules (vawmap/privacy.py): the report shows
services only as counts per region and standard, never a service's district, location or
coordinates, and no actor's contact columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from vawmap import charts, geo
from vawmap.contract import SHEET_ORDER, sheet
from vawmap.dashboard.overview import headline
from vawmap.dashboard.regional import measure_values, measures, region_table
from vawmap.dataset import Dataset
from vawmap.gaps.assess import Assessment, counting_rules
from vawmap.gaps.caveats import SheetIntake, sheet_caveat_message
from vawmap.gaps.pathways import PATHWAY_COLUMNS
from vawmap.gaps.standards import standard_word
from vawmap.i18n import label, t
from vawmap.messages import Quantity, datetime_text, render
from vawmap.report.figures import printed_choropleth
from vawmap.rules import sources

TEXT, COUNT, NUMBER, RATIO, YES_NO, DATE = "text", "count", "number", "ratio", "yes_no", "date"
PATHWAY_STEPS = [column for column in PATHWAY_COLUMNS if column not in ("complete", "reason")]
# The catalogue keys the report builds from names: report.section.<key>, report.sheet.<key>,
# report.column.<key> and report.<yes|no|unknown>.
SECTION_KEYS = (
    "key_figures", "findings", "gap_map", "regions", "sectors", "coordination", "pathways", "workshop", "method",
    "data",
)  # fmt: skip
SHEET_KEYS = (
    "key_figures", "findings", "regions", "national", "sectors", "functions", "bodies", "checklist", "pathways",
    "standards", "sources", "data", "decisions", "action_items",
)  # fmt: skip
COLUMN_KEYS = (
    "figure", "value", "severity", "finding", "region", "population", "coverage_score", "unmet_standards", "standard",
    "required", "actual", "met", "providers", "sector", "function", "tier", "status", "actor_count", "actors",
    "reason", "body", "level", "score", "failed", "criterion", *PATHWAY_STEPS, "complete", "short", "source",
    "sheet", "rows", "held_on", "actor", "commitment", "what", "owner", "due_on", "overdue",
)  # fmt: skip
YES_NO_WORDS = {True: "yes", False: "no", None: "unknown"}


def yes_no_word(value) -> str:
    """yes, no or unknown: the last part of the report.<word> key for a yes/no cell."""
    return YES_NO_WORDS[None if value is None or pd.isna(value) else bool(value)]


@dataclass(frozen=True)
class Table:
    """A table of the report: `key` names its sheet in the workbook (report.sheet.<key>); the
    frame's columns are worded headers and `kinds` says, column by column, how a cell is shown
    (TEXT worded already; COUNT, NUMBER and RATIO numbers; YES_NO True, False or None; DATE a
    date or None, worded in the language on the page and a real date cell in the workbook).
    `chart`, when set, is (category column, value column) of a bar chart a workbook can draw."""

    key: str
    frame: pd.DataFrame
    kinds: tuple[str, ...]
    chart: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        assert len(self.kinds) == self.frame.shape[1], "one kind per column"


@dataclass(frozen=True)
class Section:
    """A section: its heading is report.section.<key>; then sentences, bullets, tables, figures."""

    key: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[go.Figure, ...] = ()


@dataclass(frozen=True)
class Report:
    language: str
    title: str
    made: str  # the date the report was made, ISO; shown as the language writes dates (messages.date_text)
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def figures(self) -> list[go.Figure]:
        return [figure for section in self.sections for figure in section.figures]


def report_content(
    dataset: Dataset,
    assessment: Assessment,
    language: str,
    *,
    boundaries: geo.BoundaryMatch | None = None,
    intake: Mapping[str, SheetIntake] | None = None,
    workshop: Sequence[Table] = (),
    made: dt.date | None = None,
) -> Report:
    """The report of a dataset in `language`. `boundaries` draws the gap map as a choropleth
    (else the tile grid); `intake` says how the sheets' uploads went, so that findings drawn
    from a sheet mostly set aside are withheld as on the Overview; `workshop` holds the
    workshop's decisions and action items, worded, when the dataset comes with them: they get
    their own section after the referral pathways (tables keyed "decisions" and "action_items"
    get sheets of those names in the workbook)."""
    words = _Words(language)
    notes = dataset.caveats(intake or {})
    sections = [
        _key_figures(dataset, assessment, words),
        _findings(assessment, notes, words),
        _gap_map(assessment, boundaries, words),
        _regions(assessment, words),
        _sectors(assessment, words),
        _coordination(assessment, words),
        _pathways(assessment, words),
    ]
    if workshop:
        sections.append(Section("workshop", tables=tuple(workshop)))
    sections += [_method(assessment, words), _data(dataset, words)]
    return Report(
        language=language,
        title=words("report.title"),
        made=(made or dt.date.today()).isoformat(),
        sections=tuple(sections),
    )


class _Words:
    """t() and label() in the report's language."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, key: str, **params) -> str:
        return t(key, self.language, **params)

    def column(self, key: str) -> str:
        assert key in COLUMN_KEYS, key
        return t(f"report.column.{key}", self.language)

    def label(self, vocabulary: str, value) -> str:
        return "" if value is None or pd.isna(value) else label(vocabulary, str(value), self.language)

    def said(self, value) -> str:
        return render(value, self.language)

    def standard(self, standard_id: str, name: str) -> str:
        """A standard's name: a shipped one's in the language, a user's own as typed."""
        return render(standard_word(standard_id, "name", name), self.language)

    def number(self, value: float) -> str:
        """A count written as the language writes numbers (1 118 546 in French)."""
        return render(Quantity(value), self.language)


def _table(key: str, columns: list[tuple[str, str, Sequence]], chart: tuple[int, int] | None = None) -> Table:
    """A Table from (header, kind, values) columns, in order."""
    frame = pd.DataFrame({position: list(values) for position, (_, _, values) in enumerate(columns)})
    frame.columns = [header for header, _, _ in columns]
    return Table(key, frame, tuple(kind for _, kind, _ in columns), chart)


# ── sections ────────────────────────────────────────────────────────────────────────────────


def _key_figures(dataset: Dataset, assessment: Assessment, words: _Words) -> Section:
    figures = headline(dataset.frames, assessment)
    missing = ", ".join(words.label("sector", sector) for sector in figures.minimum_sectors_missing)
    rows = [
        (words("overview.actors"), words.number(figures.actors)),
        (
            words("overview.services"),
            words.number(figures.services)
            + " ("
            + words("overview.active_services", count=words.number(figures.active_services))
            + ")",
        ),
        (words("overview.regions"), words.number(figures.regions)),
        (
            words("overview.sectors_missing"),
            words.number(len(figures.minimum_sectors_missing)) + (f" ({missing})" if missing else ""),
        ),
        (
            words("overview.regions_below"),
            f"{words.number(len(figures.regions_below_standard))} / {words.number(figures.regions_measured)}",
        ),
    ]
    table = _table(
        "key_figures",
        [
            (words.column("figure"), TEXT, [name for name, _ in rows]),
            (words.column("value"), TEXT, [v for _, v in rows]),
        ],
    )
    return Section("key_figures", tables=(table,))


def _findings(assessment: Assessment, notes, words: _Words) -> Section:
    shown = notes.shown(assessment.findings)
    withheld = [words.said(sheet_caveat_message(caveat)) for caveat in notes.sheets]
    withheld += [words.said(item.message) for item in notes.withheld]
    paragraphs = ((words("overview.data_warning"),) if withheld else ()) + (
        () if shown else (words("overview.no_findings"),)
    )
    table = _table(
        "findings",
        [
            (words.column("severity"), TEXT, [words(f"severity.{finding.severity}") for finding in shown]),
            (words.column("finding"), TEXT, [words.said(finding.message) for finding in shown]),
            (words.column("region"), TEXT, [finding.region or "" for finding in shown]),
        ],
    )
    return Section("findings", paragraphs=paragraphs, items=tuple(withheld), tables=(table,) if shown else ())


def _gap_map(assessment: Assessment, boundaries: geo.BoundaryMatch | None, words: _Words) -> Section:
    if assessment.people.empty:
        return Section("gap_map", paragraphs=(words("regional.no_regions"),))
    measure = measures(assessment)[0]  # the coverage score of essential services
    table = region_table(assessment, measure)
    title = words("regional.measure.coverage_score")
    if boundaries is not None and boundaries.matched:
        shapes = table[table["region"].isin(boundaries.matched)]
        figure = printed_choropleth(shapes, boundaries.geojson, title, measure.kind, words.language)
        note = words("report.map_boundaries")
    else:
        figure = charts.tile_map(table, geo.tile_grid(list(table["region"])), title, measure.kind, None, words.language)
        note = words("report.map_tiles")
    return Section("gap_map", paragraphs=(words("report.map_help"), note), figures=(figure,))


def _regions(assessment: Assessment, words: _Words) -> Section:
    regions = assessment.people.index
    columns: list[tuple[str, str, Sequence]] = [
        (words.column("region"), TEXT, list(regions)),
        (words.column("population"), COUNT, assessment.people["population"].to_numpy(dtype=float, na_value=None)),
        (words.column("coverage_score"), RATIO, measure_values(assessment, measures(assessment)[0]).tolist()),
    ]
    regional = assessment.standards.by_rule("per_population") + assessment.standards.by_rule("per_region")
    for standard in regional:
        rows = assessment.results[assessment.results["standard"] == standard.id].set_index("region")
        columns.append(
            (words.standard(standard.id, standard.name), RATIO, rows["ratio"].reindex(regions).astype(float).tolist())
        )
    unmet = assessment.results[assessment.results["met"].eq(False).fillna(False).astype(bool)]
    columns.append(
        (words.column("unmet_standards"), COUNT, unmet.groupby("region").size().reindex(regions, fill_value=0).tolist())
    )
    tables = [_table("regions", columns, chart=(0, 2))]
    national = assessment.national
    if len(national):
        tables.append(
            _table(
                "national",
                [
                    (
                        words.column("standard"),
                        TEXT,
                        [
                            words.standard(str(id_), str(name))
                            for id_, name in zip(national["standard"], national["name"])
                        ],
                    ),
                    (words.column("required"), NUMBER, national["required"].tolist()),
                    (words.column("actual"), NUMBER, national["actual"].tolist()),
                    (words.column("met"), YES_NO, national["met"].tolist()),
                    (words.column("providers"), TEXT, [", ".join(map(str, names)) for names in national["providers"]]),
                ],
            )
        )
    return Section("regions", paragraphs=(words("report.regions_help"),), tables=tuple(tables))


def _sectors(assessment: Assessment, words: _Words) -> Section:
    coverage = assessment.sector_coverage
    table = _table(
        "sectors",
        [
            (words.column("sector"), TEXT, [words.label("sector", value) for value in coverage["sector"]]),
            (words.column("tier"), TEXT, [words(f"sectors.{tier}_heading") for tier in coverage["tier"]]),
            (words.column("status"), TEXT, [words(f"coverage.status.{status}") for status in coverage["status"]]),
            (words.column("actor_count"), COUNT, coverage["actor_count"].tolist()),
            (words.column("actors"), TEXT, [", ".join(map(str, names)) for names in coverage["actors"]]),
            (words.column("reason"), TEXT, [words.said(reason) for reason in coverage["reason"]]),
        ],
        chart=(0, 3),
    )
    functions = assessment.function_coverage
    function_table = _table(
        "functions",
        [
            (
                words.column("function"),
                TEXT,
                [words.label("coordination_function", value) for value in functions["function"]],
            ),
            (words.column("status"), TEXT, [words(f"coverage.status.{status}") for status in functions["status"]]),
            (words.column("actor_count"), COUNT, functions["actor_count"].tolist()),
            (words.column("reason"), TEXT, [words.said(reason) for reason in functions["reason"]]),
        ],
    )
    figures = (charts.status_bars(coverage, "sector", "sector", words.language),) if len(coverage) else ()
    return Section("sectors", paragraphs=(words("sectors.intro"),), tables=(table, function_table), figures=figures)


def _coordination(assessment: Assessment, words: _Words) -> Section:
    scores, checklist = assessment.body_scores, assessment.checklist
    bodies = _table(
        "bodies",
        [
            (words.column("body"), TEXT, scores["body"].fillna("").tolist()),
            (words.column("level"), TEXT, [words.label("level", level) for level in scores["level"]]),
            (words.column("region"), TEXT, scores["region"].fillna("").tolist()),
            (words.column("score"), RATIO, scores["score"].tolist()),
            (
                words.column("failed"),
                TEXT,
                [", ".join(words(f"criterion.{name}") for name in failed) for failed in scores["failed"]],
            ),
        ],
    )
    items = checklist.merge(scores[["body_number"]], on="body_number")
    detail = _table(
        "checklist",
        [
            (words.column("body"), TEXT, items["body"].fillna("").tolist()),
            (words.column("criterion"), TEXT, [words(f"criterion.{name}") for name in items["criterion"]]),
            (words.column("met"), YES_NO, [None if pd.isna(met) else bool(met) for met in items["met"]]),
            (words.column("reason"), TEXT, [words.said(reason) for reason in items["reason"]]),
        ],
    )
    without = assessment.regions_without_body
    paragraphs = [words("coordination.intro")]
    if len(assessment.people):
        paragraphs.append(
            words("report.regions_without_body", regions=", ".join(without))
            if without
            else words("coordination.every_region_has_body")
        )
    if scores.empty:
        paragraphs.append(words("coordination.no_bodies"))
        return Section("coordination", paragraphs=tuple(paragraphs))
    return Section("coordination", paragraphs=tuple(paragraphs), tables=(bodies, detail))


def _pathways(assessment: Assessment, words: _Words) -> Section:
    pathways = assessment.pathways
    columns: list[tuple[str, str, Sequence]] = [(words.column("region"), TEXT, pathways["region"].tolist())]
    columns += [(words.column(step), YES_NO, pathways[step].tolist()) for step in PATHWAY_STEPS]
    columns += [
        (words.column("complete"), YES_NO, pathways["complete"].tolist()),
        (words.column("reason"), TEXT, [words.said(reason) for reason in pathways["reason"]]),
    ]
    return Section("pathways", paragraphs=(words("report.pathways_help"),), tables=(_table("pathways", columns),))


def _method(assessment: Assessment, words: _Words) -> Section:
    standards = assessment.standards
    essential = ", ".join(words.label("service_type", kind) for kind in standards.essential_service_types)
    enabled = list(standards.enabled)
    standards_table = _table(
        "standards",
        [
            (words.column("standard"), TEXT, [words.standard(standard.id, standard.name) for standard in enabled]),
            (words.column("source"), TEXT, [standard.source for standard in enabled]),
        ],
    )
    cited = list(sources().values())
    sources_table = _table(
        "sources",
        [
            (words.column("short"), TEXT, [source.short for source in cited]),
            (words.column("source"), TEXT, [source.full for source in cited]),
        ],
    )
    return Section(
        "method",
        paragraphs=(
            words("report.essential_services", services=essential, source=standards.essential_source),
            words("report.counting_rules"),
        ),
        items=tuple(words.said(rule) for rule in counting_rules()),
        tables=(standards_table, sources_table),
    )


def _data(dataset: Dataset, words: _Words) -> Section:
    counts = dataset.counts()
    table = _table(
        "data",
        [
            (words.column("sheet"), TEXT, [sheet(name).label_in(words.language) for name in SHEET_ORDER]),
            (words.column("rows"), COUNT, [counts[name] for name in SHEET_ORDER]),
        ],
    )
    paragraphs = [words("report.sources", files=", ".join(dataset.sources) or "—")]
    if dataset.is_sample:
        paragraphs.append(words("report.sample"))
    if dataset.loaded_at:
        paragraphs.append(words("report.loaded_at", date=datetime_text(dataset.loaded_at, words.language)))
    return Section("data", paragraphs=tuple(paragraphs), tables=(table,))
