"""The journey PDF's first page, for a manager: what the journey is, its figures, its strongest
irritants and breaks, the improvements that matter most, its key (and fragile) moments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from journeys.board.analysis import emotion_curve, journey_counts
from journeys.board.priorities import (
    NO_VOTES,
    Improvement,
    Problem,
    Votes,
    top_improvements,
    top_problems,
)
from journeys.contract.model import (
    FindingType,
    Journey,
    JourneyState,
    Program,
)
from journeys.i18n import enum_label, t
from journeys.render.fonts import REGULAR
from journeys.report.board_table import SEVERITY
from journeys.report.style import ACCENT, MARKERS, RULE, Sheet, esc, marker


@dataclass(frozen=True)
class FragileMoment:
    """A moment where subscribers are seen to leave, from the subscriber data (attrition): its
    label, the signal in words and the figure behind it. Nothing computes them yet (issue #13):
    `build_journey_pdf(fragile=...)` shows them on the first page when it is given some."""

    label: str
    signal: str
    figure: str = ""


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class SummaryInput:
    """What the first page says: the journey, its programs, the day; for a target, its current
    journey and the gap's summary lines; fragile moments when data shows some; the dots of the
    workshop's vote (board.priorities.Votes), which rank the problems and improvements."""

    journey: Journey
    programs: Sequence[Program]
    day: str
    current: Journey | None = None
    gap_lines: Sequence[str] = ()
    fragile: Sequence[FragileMoment] = ()
    votes: Votes = field(default_factory=lambda: NO_VOTES)


def summary_flowables(data: SummaryInput, sh: Sheet, lang: str) -> list[Flowable]:
    """The first page: title, facts, figures, then the strongest problems beside the
    improvements that matter most, then the key (and fragile) moments. It always holds on one
    page: when the page is short, fewer problems are listed, then the text is made a little
    smaller, then the page is shrunk as a last resort."""
    most = 12 if sh.page == "A3" else 8
    top = top_problems(data.journey, most, data.votes)
    axes = top_improvements(data.journey, data.current, votes=data.votes)
    for factor, fewest in ((1.0, 4), (0.94, 4), (0.88, 3), (0.82, 3)):
        page = _Page(data, top, axes, _smaller(sh, factor), lang)
        shown = page.most_shown(fewest)
        if shown is not None:
            return page.story(shown)
    return [KeepInFrame(sh.frame_width, sh.frame_height, page.story(fewest), mode="shrink")]


def _smaller(sh: Sheet, factor: float) -> Sheet:
    """The sheet with its text `factor` times the size (the page stays the same)."""
    if factor == 1.0:
        return sh
    styles = {
        name: ParagraphStyle(
            name,
            parent=style,
            fontSize=style.fontSize * factor,
            leading=style.leading * factor,
            spaceBefore=style.spaceBefore * factor,
            spaceAfter=style.spaceAfter * factor,
        )
        for name, style in sh.styles.items()
    }
    return replace(sh, scale=sh.scale * factor, styles=styles)


def _height(flowables: Sequence[Flowable], width: float, height: float) -> float:
    return sum(f.wrap(width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


GUTTER = 8 * mm
CELL_PADDING = 6  # a table cell's default top and bottom padding


class _Page:
    """The summary page's pieces at one text size, measured once: the header, the problems
    (a row each), the improvements, the key and fragile moments for either column."""

    def __init__(
        self,
        data: SummaryInput,
        top: Sequence[Problem],
        axes: Sequence[Improvement],
        sh: Sheet,
        lang: str,
    ):
        self.sh = sh
        self.widths = [sh.frame_width * 0.48, sh.frame_width * 0.52]
        self.inner = [self.widths[0] - GUTTER, self.widths[1]]
        self.header = [*_header(data, sh, lang), Spacer(1, 2 * mm)]
        voted = any(p.votes for p in top) or any(p.votes for a in axes for p in a.problems)
        self.heading, self.rows = _problems(data.journey, top, sh, lang, self.inner[0], voted)
        self.improvements = _improvements(axes, sh, lang, self.inner[1], voted)
        self.moments = [
            _key_moments(data.journey, sh, lang, w)
            + _kpis(data.journey, sh, lang, w)
            + _fragile(data.fragile, sh, lang, w)
            for w in self.inner
        ]
        room = sh.frame_height

        def height(flowables: Sequence[Flowable], column: int) -> float:
            return _height(flowables, self.inner[column], room)

        self.header_height = _height(self.header, sh.frame_width, room)
        self.heading_height = height(self.heading, 0)
        self.row_heights = [height([row], 0) for row in self.rows]
        self.right_height = height(self.improvements, 1)
        self.moments_heights = [height(m, i) for i, m in enumerate(self.moments)]

    def _shorter(self, shown: int) -> int:
        left = self.heading_height + sum(self.row_heights[:shown])
        return 0 if left <= self.right_height else 1

    def most_shown(self, fewest: int) -> int | None:
        """The most problems (at least `fewest`, or all there are) the page holds, or None."""
        for shown in range(len(self.rows), min(fewest, len(self.rows)) - 1, -1):
            columns = [self.heading_height + sum(self.row_heights[:shown]), self.right_height]
            shorter = self._shorter(shown)
            columns[shorter] += self.moments_heights[shorter]
            if self.header_height + max(columns) + CELL_PADDING <= self.sh.frame_height:
                return shown
        return None

    def story(self, shown: int) -> list[Flowable]:
        """The page with `shown` problems; the key and fragile moments go under the shorter
        of the two columns."""
        columns = [[*self.heading, *self.rows[:shown]], list(self.improvements)]
        shorter = self._shorter(shown)
        columns[shorter] += self.moments[shorter]
        table = Table([columns], colWidths=self.widths, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), REGULAR, 8),  # empty cells too: else Helvetica
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), GUTTER),
                    ("RIGHTPADDING", (1, 0), (1, 0), 0),
                ]
            )
        )
        return [*self.header, table]


def _header(data: SummaryInput, sh: Sheet, lang: str) -> list[Flowable]:
    st, journey = sh.styles, data.journey
    state = esc(enum_label("report.state", journey.state, lang)).upper()
    kind = esc(enum_label("report.type", journey.journey_type, lang))
    out: list[Flowable] = [
        Paragraph(f"{state}   ·   {kind}", st["label"]),
        Spacer(1, 2 * mm),
        Paragraph(esc(journey.title), _title_style(sh)),
    ]
    left: list[Flowable] = []
    if journey.persona:
        label = esc(t("csv.field_persona", lang)).upper()
        left += [
            Paragraph(label, st["label"]),
            Paragraph(esc(_clip(journey.persona, 240)), st["body"]),
        ]
    if journey.description:
        left.append(Paragraph(esc(_clip(journey.description, 420)), st["body"]))
    facts = [
        (
            t("report.objectives", lang),
            ", ".join(enum_label("diagram.objective", o, lang) for o in journey.objectives),
        ),
        (t("programs.title", lang), ", ".join(p.title for p in data.programs)),
        (t("report.generated", lang), data.day),
    ]
    right = [
        Paragraph(f"<b>{esc(label)}</b> : {esc(_clip(value, 240))}", st["body"])
        for label, value in facts
        if value
    ]
    table = Table([[left, right]], colWidths=[sh.frame_width * 0.55, sh.frame_width * 0.45])
    table.hAlign = "LEFT"
    table.setStyle(_plain_style())
    out.append(table)
    out += [Spacer(1, 3 * mm), _figures(journey, sh, lang)]
    if data.gap_lines:
        gap = "   ·   ".join(esc(line) for line in data.gap_lines)
        out.append(Paragraph(f"<b>{esc(t('report.gap', lang))}</b> : {gap}", st["body"]))
    return out


def _title_style(sh: Sheet) -> ParagraphStyle:
    """The cover's title, a little smaller than a cover's: the page has more to say."""
    size = 24 * sh.scale
    return ParagraphStyle(
        "summary_title",
        parent=sh.styles["title"],
        fontSize=size,
        leading=size * 1.2,
        spaceAfter=3 * mm,
    )


def _h2(sh: Sheet) -> ParagraphStyle:
    """A column's heading: no room above it, the column's top is the page's."""
    return ParagraphStyle("summary_h2", parent=sh.styles["h2"], spaceBefore=0)


def _plain_style() -> TableStyle:
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), REGULAR, 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )


def _figures(journey: Journey, sh: Sheet, lang: str) -> Flowable:
    counts = journey_counts(journey)
    figures = [
        (len(journey.moments), "moments"),
        (len(journey.channels), "channels"),
        (counts.touchpoints, "touchpoints"),
        (counts.delights, "delights"),
        (counts.irritants, "irritants"),
        (counts.breaks, "breaks"),
    ]
    row = [
        [
            Paragraph(str(n), sh.styles["figure"]),
            Paragraph(esc(t(f"report.figures.{name}", lang)), sh.styles["small"]),
        ]
        for n, name in figures
    ]
    table = Table([row], colWidths=[sh.frame_width / len(figures)] * len(figures), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 10),
                ("LINEABOVE", (0, 0), (-1, 0), 1.5, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _list(rows: list[list[object]], widths: list[float]) -> Table:
    """A borderless list: a narrow first column (marker, rank), the text beside it."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _problems(
    journey: Journey,
    top: Sequence[Problem],
    sh: Sheet,
    lang: str,
    width: float,
    voted: bool = False,
) -> tuple[list[Flowable], list[Flowable]]:
    """The problems' heading, and a one-row table per problem (or the word for none); when
    the room voted, each problem's dots."""
    st = sh.styles
    target = journey.state is JourneyState.TARGET
    intro = "votes.pdf.problems_intro" if voted else "report.summary.problems_intro"
    heading: list[Flowable] = [
        Paragraph(esc(t(f"report.summary.problems{'_target' if target else ''}", lang)), _h2(sh)),
        Paragraph(esc(t(intro, lang)), st["small"]),
        Spacer(1, 1.5 * mm),
    ]
    if not top:
        return [*heading, Paragraph(esc(t("report.none", lang)), st["body"])], []
    rows: list[Flowable] = []
    for p in top:
        where = f"{p.moment} · {p.channel} · {_clip(p.touchpoint.label, 80)}"
        if p.votes:
            where += " · " + _dots(p.votes, lang)
        text = f"{esc(_clip(p.finding.text, 160))}<br/><font size={st['small'].fontSize}>"
        text += f"{esc(where)}</font>"
        cells = [
            Paragraph(marker(p.finding.type, p.finding.intensity), st["body"]),
            Paragraph(text, st["body"]),
        ]
        rows.append(_list([cells], [9 * mm * sh.scale, width - 9 * mm * sh.scale]))
    return heading, rows


def _dots(count: int, lang: str) -> str:
    """`● 3 dots`: how many dots the room put on a problem."""
    return "● " + t("votes.pdf.dots_one" if count == 1 else "votes.pdf.dots", lang, count=count)


def _improvements(
    axes: Sequence[Improvement], sh: Sheet, lang: str, width: float, voted: bool = False
) -> list[Flowable]:
    st = sh.styles
    first = 9 * mm * sh.scale
    intro = "votes.pdf.improvements_intro" if voted else "report.summary.improvements_intro"
    out: list[Flowable] = [
        Paragraph(esc(t("report.summary.improvements", lang)), _h2(sh)),
        Paragraph(esc(t(intro, lang)), st["small"]),
        Spacer(1, 1.5 * mm),
    ]
    if not axes:
        return [*out, Paragraph(esc(t("report.none", lang)), st["body"])]
    rows: list[list[object]] = []
    for rank, axis in enumerate(axes, start=1):
        kinds = _counts(Counter(p.finding.type for p in axis.problems))
        where = f"{esc(t('report.summary.addresses', lang))} {kinds}"
        where += f" · {esc(_clip(', '.join(axis.moments), 120))}"
        text = f"<b>{esc(_clip(axis.text, 160))}</b><br/>"
        text += f"<font size={st['small'].fontSize}>{where}</font>"
        rows.append([Paragraph(f"<b>{rank}</b>", st["body"]), Paragraph(text, st["body"])])
    return [*out, _list(rows, [first, width - first])]


def _counts(counts: Counter[FindingType]) -> str:
    """Markup of how many findings of each type: `✖×2 ▼×3`, worst first."""
    return " ".join(
        f'<font color="{MARKERS[k][1]}">{MARKERS[k][0]}</font>×{counts[k]}'
        for k in SEVERITY
        if counts[k]
    )


PER_ROW = {"A3": 3, "A4": 2}  # cells a row of a band holds, in the summary's left column


def _band(
    title: str, cells: list[tuple[str, str]], sh: Sheet, lang: str, width: float, more: int = 0
) -> list[Flowable]:
    """A titled band of cells (a bold name above a line of words), PER_ROW a row; `more`
    items left out are counted in a last cell."""
    st = sh.styles
    per_row = PER_ROW[sh.page]
    items = [[Paragraph(name, st["body"]), Paragraph(words, st["small"])] for name, words in cells]
    if more:
        items.append([Paragraph(esc(t("report.summary.more", lang, count=more)), st["body"])])
    rows = [items[i : i + per_row] for i in range(0, len(items), per_row)]
    rows[-1] += [[]] * (per_row - len(rows[-1]))
    table = Table(rows, colWidths=[width / per_row] * per_row, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("LINEABOVE", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [Spacer(1, 4 * mm), Paragraph(esc(title), st["h2"]), table]


def _key_moments(journey: Journey, sh: Sheet, lang: str, width: float) -> list[Flowable]:
    """The key moments, each with its balance and its findings (two rows of them at most)."""
    points = [p for p in emotion_curve(journey) if p.key]
    if not points:
        return []
    room = 2 * PER_ROW[sh.page]
    shown = points if len(points) <= room else points[: room - 1]
    by_moment: dict[str, Counter[FindingType]] = {p.moment: Counter() for p in shown}
    for tp in journey.touchpoints:
        if tp.moment in by_moment:
            by_moment[tp.moment].update(f.type for f in tp.findings)
    cells = []
    for point in shown:
        found = _counts(by_moment[point.moment])
        score = t("report.summary.score", lang, score=f"{point.score:+d}" if point.score else "0")
        words = f"{esc(score)}   ·   {found}" if found else esc(score)
        cells.append((f"<b>★ {esc(_clip(point.label, 60))}</b>", words))
    title = t("report.summary.key_moments", lang)
    return _band(title, cells, sh, lang, width, more=len(points) - len(shown))


def _kpis(journey: Journey, sh: Sheet, lang: str, width: float) -> list[Flowable]:
    """The KPIs typed on the board's lane, moment by moment (two rows of them at most)."""
    measured = [m for m in journey.moments if m.kpi and m.kpi.strip()]
    if not measured:
        return []
    room = 2 * PER_ROW[sh.page]
    shown = measured if len(measured) <= room else measured[: room - 1]
    cells = [(f"<b>{esc(_clip(m.label, 60))}</b>", esc(_clip(m.kpi or "", 160))) for m in shown]
    title = t("report.summary.kpis", lang)
    return _band(title, cells, sh, lang, width, more=len(measured) - len(shown))


def _fragile(
    fragile: Sequence[FragileMoment], sh: Sheet, lang: str, width: float
) -> list[Flowable]:
    """The fragile moments the subscriber data shows, when it shows some (two rows at most)."""
    if not fragile:
        return []
    room = 2 * PER_ROW[sh.page]
    shown = fragile if len(fragile) <= room else fragile[: room - 1]
    cells = [
        (f"<b>{esc(_clip(f.label, 60))}</b>", esc(" — ".join(x for x in (f.signal, f.figure) if x)))
        for f in shown
    ]
    title = t("report.summary.fragile", lang)
    return _band(title, cells, sh, lang, width, more=len(fragile) - len(shown))
