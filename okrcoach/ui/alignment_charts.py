"""Plotly figures for the alignment tables, sized for a 1280×720 projector; nothing loads from the web."""

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from okrcoach.review.alignment import NOTHING, REMOVED_TOP

FONT = 18
SMALL_FONT = 16
HEIGHT = 680
LABEL_CHARS = 45
TEXT_COLOUR = "#1b1b1b"
# Light enough that dark text stays readable on a washed-out projector.
TOP_COLOURS = ("#8dd3c7", "#fdb462", "#bebada", "#80b1d3", "#b3de69", "#fccde5", "#ffed6f", "#bc80bd",
               "#ccebc5", "#d9d9d9")
REMOVED_COLOUR = "#ef9a9a"
NOTHING_COLOUR = "#c8c8c8"
GAP_COLOUR = "#fde0e0"
STATUS_COLOURS = {"accepted": "#4caf50", "requested": "#ffb300", "declined": "#ef5350", "removed": "#9e9e9e"}
STATUS_MARKS = {"accepted": "✓", "requested": "?", "declined": "✗"}
STATUS_NAMES = {"accepted": "✓ accepted", "requested": "? requested, not answered", "declined": "✗ declined",
                "removed": "asked a removed team"}
# A cell shows the status that most needs the room's attention.
SEVERITY = ("accepted", "requested", "declined", "removed")


def shorten(value: str, limit: int = LABEL_CHARS) -> str:
    """The text on one line, cut at a word with '…' when longer than limit."""
    value = " ".join(str(value).split())
    if len(value) <= limit:
        return value
    cut = value[:limit - 1].rsplit(" ", 1)[0] if " " in value[:limit - 1] else value[:limit - 1]
    return cut.rstrip(" ,.;:-") + "…"


def _lines(value: str, width: int, max_lines: int = 2) -> str:
    """Shortened, escaped text wrapped onto a few lines for plotly (<br> between lines)."""
    short = shorten(value, width * max_lines)
    return "<br>".join(html.escape(line) for line in textwrap.wrap(short, width)[:max_lines]) or "&nbsp;"


def _hover(value: str, width: int = 60) -> str:
    """The full text, escaped (people's text is shown as text, never markup), wrapped for the tooltip."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(" ".join(str(value).split()), width))


def tint(colour: str, amount: float) -> str:
    """The colour mixed with white: 0 keeps it, 1 is white."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (red, green, blue))


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != ""


def _layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_layout(
        template="plotly_white", height=HEIGHT, title=dict(text=title, font=dict(size=FONT + 4)),
        font=dict(size=FONT, color=TEXT_COLOUR), hoverlabel=dict(font=dict(size=SMALL_FONT)),
        margin=dict(l=10, r=10, t=60, b=10))
    return figure


def vertical_figure(df: pd.DataFrame) -> go.Figure:
    """An icicle: top-level objective → team → team objective → key result, read left to right."""
    ids, labels, parents, colours, hovers = [], [], [], [], []
    seen: set[str] = set()

    def node(node_id: str, label: str, parent: str, colour: str, hover: str) -> None:
        if node_id not in seen:
            seen.add(node_id)
            ids.append(node_id)
            labels.append(label)
            parents.append(parent)
            colours.append(colour)
            hovers.append(hover)

    base_colours: dict[str, str] = {}
    for row in df.to_dict("records"):
        top = row["top_objective"]
        top_key = f"top:{row.get('top_objective_id') if _present(row.get('top_objective_id')) else top}"
        if top_key not in base_colours:
            base_colours[top_key] = (REMOVED_COLOUR if top == REMOVED_TOP else NOTHING_COLOUR if top == NOTHING
                                     else TOP_COLOURS[sum(k not in (REMOVED_TOP, NOTHING) for k in base_colours)
                                                      % len(TOP_COLOURS)])
        colour = base_colours[top_key]
        kind = "" if top in (REMOVED_TOP, NOTHING) else "<b>Top-level objective</b><br>"
        node(top_key, _lines(top, 23), "", colour, kind + _hover(top))
        if not _present(row.get("team")):
            node(f"{top_key}/none", "no team contributes yet", top_key, GAP_COLOUR,
                 "No team objective contributes to this yet.")
            continue
        team_key = f"{top_key}/team:{row.get('team_slug') or row['team']}"
        node(team_key, _lines(row["team"], 23), top_key, tint(colour, 0.3), f"<b>{_hover(row['team'])}</b>")
        objective_key = f"{team_key}/objective:{row.get('team_objective_id') or row['team_objective']}"
        node(objective_key, _lines(row["team_objective"], 23), team_key, tint(colour, 0.5),
             f"<b>{_hover(row['team'])}</b> objective<br>{_hover(row['team_objective'])}")
        if _present(row.get("key_result")):
            details = [f"Type: {html.escape(str(row.get('kr_type') or ''))}",
                       f"Champion: {html.escape(row.get('champion') or '—')}"]
            if _present(row.get("shared_with")):
                details.append(f"Shared with: {html.escape(row['shared_with'])}")
            node(f"{objective_key}/kr:{row.get('key_result_id') or row['key_result']}",
                 _lines(row["key_result"], 23), objective_key, tint(colour, 0.65),
                 f"<b>Key result</b><br>{_hover(row['key_result'])}<br>{'<br>'.join(details)}")
    leaves = len(set(ids) - set(parents))
    figure = go.Figure(go.Icicle(
        ids=ids, labels=labels, parents=parents, hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(colors=colours, line=dict(color="white", width=2)), tiling=dict(orientation="h"),
        # Twelve teams' key results cannot all be read at once: show three levels, click to open one.
        maxdepth=-1 if leaves <= 14 else 3, textfont=dict(size=FONT, color=TEXT_COLOUR), sort=False,
        pathbar=dict(visible=True, textfont=dict(size=SMALL_FONT))))
    figure.update_layout(uniformtext=dict(minsize=SMALL_FONT, mode="hide"))
    if not ids:
        figure.add_annotation(text="No top-level objectives yet", showarrow=False, font=dict(size=FONT + 4))
    return _layout(figure, "Vertical alignment: top-level objectives → team objectives → key results")


def _team_tick(name: str) -> str:
    return _lines(name, 12, max_lines=3)


def horizontal_figure(df: pd.DataFrame, teams: list[str]) -> go.Figure:
    """A matrix: asking teams down the side, asked teams across the top, each cell coloured by status."""
    rows = list(dict.fromkeys([*teams, *df["from_team"]]))
    asked = [(name, bool(removed)) for name, removed in zip(df["to_team"], df["to_team_removed"], strict=True)]
    columns = list(dict.fromkeys([*((name, False) for name in teams), *asked]))
    cells: dict[tuple, list[dict]] = {}
    for row in df.to_dict("records"):
        cells.setdefault((row["from_team"], (row["to_team"], bool(row["to_team_removed"]))), []).append(row)
    z, text, hover = [], [], []
    for asker in rows:
        z_row, text_row, hover_row = [], [], []
        for column in columns:
            found = cells.get((asker, column), [])
            statuses = [r["status"] for r in found]
            if not found:
                z_row.append(None)
                text_row.append("")
                hover_row.append(f"{html.escape(asker)} asks nothing of {html.escape(column[0])}")
                continue
            worst = "removed" if column[1] else max(statuses, key=SEVERITY.index)
            z_row.append(SEVERITY.index(worst))
            text_row.append(" ".join(f"{statuses.count(s)}{STATUS_MARKS[s]}" for s in STATUS_MARKS
                                     if s in statuses))
            removed = " (removed from the workshop)" if column[1] else ""
            lines = [f"• {html.escape(shorten(r['key_result'], 60))}: {r['status']}" for r in found]
            hover_row.append(f"<b>{html.escape(asker)}</b> asks <b>{html.escape(column[0])}</b>{removed}<br>"
                             + "<br>".join(lines))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    x_labels = [_team_tick(name) + ("<br><i>(removed)</i>" if removed else "") for name, removed in columns]
    y_labels = [html.escape(shorten(name, 28)) for name in rows]
    steps = len(SEVERITY)
    scale = [item for i, status in enumerate(SEVERITY)
             for item in ([i / steps, STATUS_COLOURS[status]], [(i + 1) / steps, STATUS_COLOURS[status]])]
    x_positions, y_positions = list(range(len(columns))), list(range(len(rows)))
    figure = go.Figure(go.Heatmap(
        z=z, x=x_positions, y=y_positions, text=text, texttemplate="%{text}", textfont=dict(size=FONT),
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", colorscale=scale, zmin=-0.5,
        zmax=steps - 0.5, showscale=False, xgap=3, ygap=3, hoverongaps=False))
    for status in SEVERITY:  # heatmaps have no legend of their own
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=STATUS_NAMES[status],
                                    marker=dict(size=18, symbol="square", color=STATUS_COLOURS[status])))
    # Positions, not names, on the axes: two teams whose shortened names match keep their own rows.
    figure.update_xaxes(side="top", showgrid=False, zeroline=False, automargin=True, title_text="asked team",
                        tickfont=dict(size=SMALL_FONT), tickvals=x_positions, ticktext=x_labels)
    figure.update_yaxes(autorange="reversed", showgrid=False, zeroline=False, automargin=True,
                        title_text="asking team", tickfont=dict(size=SMALL_FONT), tickvals=y_positions,
                        ticktext=y_labels)
    # Below the plot area with room of its own: a legend inside the margin never covers the last row.
    figure.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.04, xanchor="left", x=0,
                                     font=dict(size=SMALL_FONT)), plot_bgcolor="#f4f4f4")
    if df.empty:
        figure.add_annotation(text="No dependencies yet", showarrow=False, xref="paper", yref="paper",
                              x=0.5, y=0.5, font=dict(size=FONT + 4))
    _layout(figure, "Horizontal alignment: who asks whom for help")
    figure.update_layout(margin=dict(l=10, r=10, t=150, b=110))
    return figure
