"""The claims timeline: claimed counts per day, Russian and Ukrainian claimants on separate
panels. matplotlib is an optional extra (`skytally[plot]`), imported here only.

Only `counted` claims are drawn (no ancestor of the same outcome), so a day's bar is not
inflated by a total and its own regional breakdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Errors, InputError

SIDES = (("RU", "Russian claimants"), ("UA", "Ukrainian claimants"))
BY = ("outcome", "region", "claimant")
#: colours per outcome, kept the same across panels and runs
OUTCOME_COLOURS = {
    "launched": "#7f7f7f",
    "destroyed": "#1f77b4",
    "suppressed": "#2ca02c",
    "hit": "#d62728",
}
PLOT_FORMATS = (".png", ".svg")


def check_plot_path(path: Path) -> None:
    if path.suffix.lower() not in PLOT_FORMATS:
        raise InputError(Errors.E062.format(path=path, choices=".png or .svg"))


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise InputError(Errors.E041.format(what="The timeline plot", extra="plot")) from None
    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    return plt


def daily_counts(frame: Any, by: str = "outcome") -> Any:
    """Counted claims summed per side, day and group (`outcome`, `region` or `claimant`):
    a DataFrame with columns side, day, group, value."""
    from .tables import pandas

    pd = pandas()
    if by not in BY:
        raise InputError(Errors.E006.format(name="--plot-by", allowed=", ".join(BY), value=by))
    rows = frame[frame["counted"] & frame["day"].notna() & frame["side"].isin(["RU", "UA"])]
    column = {"outcome": "outcome", "region": "place_name", "claimant": "claimant"}[by]
    groups = rows[column].fillna("(no place)" if by == "region" else "?")
    if by != "outcome":
        groups = groups + " · " + rows["outcome"]
    data = pd.DataFrame(
        {"side": rows["side"], "day": rows["day"], "group": groups, "value": rows["value"]}
    )
    return data.groupby(["side", "day", "group"], as_index=False)["value"].sum()


def plot_timeline(frame: Any, path: Path, by: str = "outcome", title: str | None = None) -> None:
    """Write the timeline to `path` (.png or .svg): one panel per side, one bar series per
    group, days on the x axis."""
    check_plot_path(path)
    plt = _pyplot()
    from .tables import pandas

    pd = pandas()
    counts = daily_counts(frame, by)
    days = sorted(counts["day"].unique()) if not counts.empty else []
    fig, axes = plt.subplots(len(SIDES), 1, figsize=(max(8.0, 0.6 * len(days) + 3), 7),
                             sharex=True, squeeze=False)  # fmt: skip
    positions = {day: i for i, day in enumerate(days)}
    for ax, (side, label) in zip(axes[:, 0], SIDES, strict=True):
        part = counts[counts["side"] == side]
        table = (
            part.pivot_table(index="day", columns="group", values="value", aggfunc="sum")
            .reindex(days)
            .fillna(0)
            if not part.empty
            else pd.DataFrame(index=days)
        )
        groups = list(table.columns)
        width = 0.8 / max(1, len(groups))
        for n, group in enumerate(groups):
            outcome = group.rsplit(" · ", 1)[-1]
            colour = OUTCOME_COLOURS.get(outcome) if by == "outcome" else None
            xs = [positions[d] - 0.4 + width * (n + 0.5) for d in table.index]
            ax.bar(xs, table[group].tolist(), width=width, label=group, color=colour)
        ax.set_title(label, loc="left", fontsize=11)
        ax.set_ylabel("claimed count")
        ax.grid(axis="y", alpha=0.3)
        if groups:
            ax.legend(fontsize=8, ncol=min(4, len(groups)), loc="upper left")
        else:
            ax.text(0.5, 0.5, "no claims", ha="center", va="center", transform=ax.transAxes)
    axes[-1, 0].set_xticks(range(len(days)))
    axes[-1, 0].set_xticklabels(days, rotation=45, ha="right", fontsize=8)
    axes[-1, 0].set_xlabel("day (Kyiv time) the claim's period ends")
    fig.suptitle(title or f"Claimed counts per day, by {by}")
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110)
    except OSError as error:
        raise InputError(Errors.E007.format(path=path, reason=error.strerror)) from None
    finally:
        plt.close(fig)
