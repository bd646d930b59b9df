"""报送情况 Submission tracker: for one period, every street of the register — received, missing or late.

A street has sent its report for a period when the store holds an active 履职情况 batch for (district, street,
period). Received: when, by whom, from which file, and how often an earlier copy was superseded. Late: the first
copy arrived after the district's deadline (metrics/rules.toml [deadlines], days after the quarter's end, Beijing
time). Pure functions over the register and the batch log; `submissions(store, …)` reads them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TextIO

import pandas as pd

from metrics.config import Config, load_config
from metrics.export.formula import defused, write_table_xlsx
from metrics.validate import PERIOD_RE

if TYPE_CHECKING:
    from loaders.store import Store

BEIJING = dt.timezone(dt.timedelta(hours=8))  # no daylight saving in China
COLUMNS = [
    "district",
    "street",
    "period",
    "submitted",
    "late",
    "deadline",
    "first_received_at",
    "received_at",
    "user_name",
    "file_name",
    "times_superseded",
]
SUMMARY_COLUMNS = ["district", "streets", "received", "missing", "late", "deadline"]
MISSING_HEADERS = {"district": "区(市)县", "street": "街道(镇)", "period": "报告期", "deadline": "截止日期"}


def is_period(value: object) -> bool:
    """Whether value is a quarter written 2021Q1."""
    return isinstance(value, str) and PERIOD_RE.match(value) is not None


def quarter_end(period: str) -> dt.date:
    """The last day of a quarter written 2021Q1."""
    if not is_period(period):
        raise ValueError(f"not a quarter: {period!r}")
    year, q = int(period[:4]), int(period[5])
    first_next = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return first_next - dt.timedelta(days=1)


def deadline(district: str, period: str, config: Config) -> dt.date:
    """The day by which a district's streets must have sent the period's report."""
    days = config.deadline_districts.get(district, config.deadline_days)
    return quarter_end(period) + dt.timedelta(days=days)


def submission_table(
    register: pd.DataFrame, batches: pd.DataFrame, period: str, config: Config | None = None
) -> pd.DataFrame:
    """One row per street of the register for `period` (COLUMNS); batches as Store.batches_history gives them."""
    config = config or load_config()
    streets = register[["district", "street"]].dropna().drop_duplicates().astype(str)
    perf = batches[(batches["table_name"] == "performance").to_numpy() & (batches["period"] == period).to_numpy()]
    perf = perf.assign(district=perf["district"].astype(str), street=perf["street"].astype(str))
    grouped = perf.groupby(["district", "street"], sort=False)
    first = grouped["ingested_at"].min().rename("first_received_at")
    copies = grouped.size().rename("copies")
    active = perf[perf["active"].astype(bool).to_numpy()].set_index(["district", "street"])[
        ["ingested_at", "user_name", "file_name"]
    ]
    out = (
        streets.set_index(["district", "street"])
        .join(first)
        .join(copies)
        .join(active.rename(columns={"ingested_at": "received_at"}))
        .reset_index()
    )
    out["period"] = period
    out["submitted"] = out["received_at"].notna()
    due = [deadline(d, period, config) for d in out["district"]]
    out["deadline"] = pd.Series(due, index=out.index, dtype=object)
    # Late: the first copy arrived after the end of the deadline day, Beijing time.
    end = pd.to_datetime([dt.datetime.combine(d, dt.time.max) for d in due]).tz_localize(BEIJING)
    first = pd.to_datetime(out["first_received_at"], utc=True)
    out["late"] = (first > pd.Series(end, index=out.index)).fillna(False).astype(bool)
    out["times_superseded"] = (out["copies"].fillna(1) - 1).where(out["submitted"], 0).astype("int64")
    order = {d: i for i, d in enumerate(dict.fromkeys(register["district"].astype(str)))}
    out = out.sort_values(
        ["submitted", "district", "street"], key=lambda s: s.map(order) if s.name == "district" else s
    )
    return out[COLUMNS].reset_index(drop=True)


def district_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Per district: streets in the register, received, missing, late, and the deadline (SUMMARY_COLUMNS)."""
    g = table.groupby("district", sort=False)
    out = pd.DataFrame(
        {
            "streets": g.size(),
            "received": g["submitted"].sum(),
            "late": g["late"].sum(),
            "deadline": g["deadline"].first(),
        }
    )
    out["missing"] = out["streets"] - out["received"]
    return out.reset_index()[SUMMARY_COLUMNS].sort_values("district", kind="stable").reset_index(drop=True)


def missing(table: pd.DataFrame) -> pd.DataFrame:
    """The streets still to send (the 催报 list): district, street, period, deadline."""
    return table.loc[~table["submitted"].to_numpy(), list(MISSING_HEADERS)].reset_index(drop=True)


def submissions(store: Store, period: str, config: Config | None = None) -> pd.DataFrame:
    """The tracker's table for one period, read from a store."""
    return submission_table(store.load_register(), store.batches_history(), period, config)


def write_missing(table: pd.DataFrame, path: str) -> None:
    """Write the 催报 list (.xlsx, else CSV) with Chinese headers."""
    frame = missing(table).rename(columns=MISSING_HEADERS)
    if str(path).lower().endswith(".xlsx"):
        write_table_xlsx(frame, path, "催报名单")
    else:
        defused(frame).to_csv(path, index=False, encoding="utf-8-sig")


def _time(value: object) -> str:
    return value.tz_convert(BEIJING).strftime("%Y-%m-%d %H:%M") if isinstance(value, pd.Timestamp) else "—"


def print_status(table: pd.DataFrame, period: str, out: TextIO) -> None:
    """The tracker as text: counts per district, then the missing, late and received streets."""
    counts = district_counts(table)
    n, got = len(table), int(table["submitted"].sum())
    out.write(f"报告期 {period}：应报 {n}，已报 {got}，未报 {n - got}，逾期 {int(table['late'].sum())} ")
    out.write(f"(period {period}: {n} streets, {got} received, {n - got} missing, {int(table['late'].sum())} late)\n")
    for r in counts.itertuples(index=False):
        out.write(
            f"  {r.district}: 应报 {r.streets} 已报 {r.received} 未报 {r.missing} 逾期 {r.late} "
            f"截止 {r.deadline} (due {r.deadline})\n"
        )
    gone = missing(table)
    if len(gone):
        out.write("未报送 missing:\n")
        for r in gone.itertuples(index=False):
            out.write(f"  ✘ {r.district} {r.street}（截止 {r.deadline} due）\n")
    sent = table[table["submitted"].to_numpy()]
    if len(sent):
        out.write("已报送 received (北京时间 Beijing time):\n")
        for r in sent.itertuples(index=False):
            mark = "逾期 late" if r.late else "按时 on time"
            again = f"，替换 {r.times_superseded} 次 (superseded {r.times_superseded}×)" if r.times_superseded else ""
            out.write(
                f"  ✔ {r.district} {r.street} {_time(r.received_at)} {r.user_name or '—'} {r.file_name} "
                f"[{mark}]{again}\n"
            )


def next_quarter(period: str) -> str:
    """The quarter after `period` (2020Q4 → 2021Q1): the one being collected after the last one stored."""
    year, q = int(period[:4]), int(period[-1])
    return f"{year + (q == 4)}Q{1 if q == 4 else q + 1}"
