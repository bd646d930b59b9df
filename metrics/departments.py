"""考核权 (issue 15): the streets' ratings of district departments, set beside the departments' tasks outside the
lists, their approval and funds shares and the delegated items' funds share; a ranking with honest bands; and the
建议权 record. Pure functions of the Dataset and of Evaluation frames computed elsewhere (never recomputed here)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.rating_values import SCORE_KEYS
from loaders.schema import Dataset
from loaders.vocab import vocabulary

DIMENSIONS: tuple[str, ...] = SCORE_KEYS  # 指导支持, 响应时效, 经费保障, 协同配合
MIN_RATINGS = 3  # fewer rating streets: a mean is shown, but no interval and no rank ("too few ratings")
LEVEL = 0.90  # the intervals' coverage, as the streets' rank bands (docs/METHODOLOGY.md §A)
# Student's t at 0.95 (two-sided 90 %) for 2–30 degrees of freedom; beyond, z + (z³ + z) / (4·df).
_T95 = (2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753, 1.746)
_T95 += (1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697)
_Z95 = 1.6449

RATING_COLUMNS: list[str] = [
    "district",
    "period",
    "department",
    "n_streets",
    *DIMENSIONS,
    "overall",
    "sd",
    "low",
    "high",
    "enough",
    "overall_prev",
    "change_prev",
]
_TASKS = ["unlisted_tasks", "unlisted_workdays", "share_not_approved", "share_without_funds"]
_LEDGER = ["returned", "share_returned"]
_FUNDS = ["delegated", "share_delegated_with_funds"]
_RANKS = ["rank", "rank_best", "rank_worst", "n_ranked"]
DEPARTMENT_COLUMNS: list[str] = [*RATING_COLUMNS, *_TASKS, *_LEDGER, *_FUNDS, *_RANKS]
ADVICE_COLUMNS: list[str] = ["district", "street", "decision", "consulted_date", "opinion", "adopted"]
ADVICE_SUMMARY_COLUMNS: list[str] = [
    "district",
    "records",
    "n_adopted",
    "n_partly_adopted",
    "n_not_adopted",
    "n_unanswered",
    "share_adopted",
]


def t_quantile(df: np.ndarray) -> np.ndarray:
    """Student's t at 0.95 for each number of degrees of freedom (≥ 2; NaN below)."""
    df = np.asarray(df, dtype="float64")
    table = np.array(_T95)
    index = np.clip(df - 2, 0, len(table) - 1).astype("int64")
    big = _Z95 + (_Z95**3 + _Z95) / (4 * np.maximum(df, 1))
    return np.where(df < 2, np.nan, np.where(df <= 30, table[index], big))


def _street_rows(ds: Dataset) -> pd.DataFrame:
    """Each street's rating of each department on 0–100 (score ÷ 满分 × 100), and the street's overall: the mean of
    the dimensions it scored."""
    r = ds.dept_ratings
    scale = r["scale"].astype("float64").to_numpy()
    out = pd.DataFrame(
        {
            "district": r["district"].astype("string"),
            "period": r["period"].astype("string"),
            "department": r["department"].astype("string"),
            "street": r["street"].astype("string"),
        }
    )
    for k in DIMENSIONS:
        out[k] = r[k].astype("float64").to_numpy() / scale * 100
    out["overall"] = out[list(DIMENSIONS)].mean(axis=1, skipna=True)
    return out


def department_ratings(ds: Dataset) -> pd.DataFrame:
    """Per (district, period, department): rating streets, mean per dimension and overall (0–100), the spread and a
    90 % t-interval of the overall mean (none below MIN_RATINGS streets), and the change since the department's
    previous rated period."""
    rows = _street_rows(ds)
    by = ["district", "period", "department"]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in RATING_COLUMNS})
    grouped = rows.groupby(by, sort=True)
    agg = grouped[[*DIMENSIONS, "overall"]].mean()
    agg["n_streets"] = grouped["street"].nunique()
    agg["sd"] = grouped["overall"].std(ddof=1)
    agg = agg.reset_index()
    n = agg["n_streets"].to_numpy(dtype="float64")
    enough = n >= MIN_RATINGS
    with np.errstate(invalid="ignore", divide="ignore"):
        half = t_quantile(n - 1) * agg["sd"].to_numpy(dtype="float64") / np.sqrt(n)
    mean = agg["overall"].to_numpy(dtype="float64")
    agg["low"] = np.where(enough, np.clip(mean - half, 0, 100), np.nan)
    agg["high"] = np.where(enough, np.clip(mean + half, 0, 100), np.nan)
    agg["enough"] = enough
    agg = agg.sort_values(["district", "department", "period"], ignore_index=True)
    same = agg["district"].eq(agg["district"].shift()) & agg["department"].eq(agg["department"].shift())
    agg["overall_prev"] = agg["overall"].shift().where(same.fillna(False).to_numpy(dtype=bool))
    agg["change_prev"] = agg["overall"] - agg["overall_prev"]
    out = agg.astype({"n_streets": "int64", "enough": "bool"})
    return out.sort_values(by, ignore_index=True)[RATING_COLUMNS]


def rank_bands(ratings: pd.DataFrame) -> pd.DataFrame:
    """Rank of each department with enough ratings within (district, period), best first, and its band: the best
    and worst rank its interval allows (ahead of it only departments whose interval lies wholly above its own)."""
    out = ratings[["district", "period", "department"]].copy()
    for k in _RANKS:
        out[k] = pd.array([pd.NA] * len(out), dtype="Int64")
    ok = ratings["enough"].to_numpy(dtype=bool) & ratings["overall"].notna().to_numpy()
    for _, group in ratings.loc[ok].groupby(["district", "period"], sort=False):
        mean, low, high = (group[k].to_numpy(dtype="float64") for k in ("overall", "low", "high"))
        order = (-mean).argsort(kind="stable")
        rank = np.empty(len(group), dtype="int64")
        rank[order] = np.arange(1, len(group) + 1)
        surely_above = (low[None, :] > high[:, None]).sum(axis=1)  # others whose interval lies above mine
        surely_below = (high[None, :] < low[:, None]).sum(axis=1)
        out.loc[group.index, "rank"] = rank
        out.loc[group.index, "rank_best"] = 1 + surely_above
        out.loc[group.index, "rank_worst"] = len(group) - surely_below
        out.loc[group.index, "n_ranked"] = len(group)
    return out


def department_scorecard(
    ratings: pd.DataFrame,
    burden_by_department: pd.DataFrame,
    access_ledger: pd.DataFrame,
    fund_match_by_department: pd.DataFrame,
) -> pd.DataFrame:
    """Per (district, period, department) rated or assigning tasks: the ratings, the department's unlisted tasks and
    their approval and funds shares (metrics.burden), tasks the streets returned (metrics.access_ledger), delegated
    list items and their funds share for the period's year (metrics.fund_match), and the rank band."""
    key = ["district", "period", "department"]
    tasks = burden_by_department.rename(columns={"assigning_department": "department"})[[*key, *_TASKS]]
    ledger = access_ledger[[*key, *_LEDGER]]
    frame = ratings.merge(tasks, on=key, how="outer").merge(ledger, on=key, how="left")
    frame["year"] = pd.array(frame["period"].astype("string").str.slice(0, 4).astype("Int64"))
    funds = fund_match_by_department[["district", "year", "department", *_FUNDS]]
    frame = frame.merge(funds, on=["district", "year", "department"], how="left")
    frame["n_streets"] = frame["n_streets"].fillna(0).astype("int64")
    frame["enough"] = frame["enough"].astype("boolean").fillna(False).astype("bool")
    # no row in those frames: the department pushed no task or delegated no item that year (0, not unknown)
    for k in ("unlisted_tasks", "returned", "delegated"):
        frame[k] = frame[k].fillna(0).astype("int64")
    frame = frame.astype({"district": "string", "period": "string", "department": "string"})
    frame = frame.sort_values(key, ignore_index=True)
    ranks = rank_bands(frame)
    frame[_RANKS] = ranks[_RANKS]
    return frame[DEPARTMENT_COLUMNS]


def advice_records(ds: Dataset) -> pd.DataFrame:
    """The 建议权 record: every consultation of a street on a major plan or decision, newest first per district."""
    a = ds.advice
    out = a[ADVICE_COLUMNS].astype({k: "string" for k in ADVICE_COLUMNS if k != "consulted_date"})
    return out.sort_values(["district", "consulted_date", "street"], ascending=[True, False, True], ignore_index=True)


def advice_summary(records: pd.DataFrame) -> pd.DataFrame:
    """Per district: consultations, how many were adopted, partly, not, or not answered, and the share adopted
    (fully or partly) of those answered."""
    answer = records["adopted"]
    adopted, partly, not_adopted = dict.fromkeys(vocabulary("adopted").values())  # maps/values.csv order
    counted = pd.DataFrame(
        {
            "district": records["district"],
            "records": 1,
            "n_adopted": answer.eq(adopted).fillna(False).astype("int64"),
            "n_partly_adopted": answer.eq(partly).fillna(False).astype("int64"),
            "n_not_adopted": answer.eq(not_adopted).fillna(False).astype("int64"),
            "n_unanswered": answer.isna().astype("int64"),
        }
    )
    agg = counted.groupby("district", sort=True).sum().reset_index()
    answered = (agg["records"] - agg["n_unanswered"]).to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (agg["n_adopted"] + agg["n_partly_adopted"]).to_numpy(dtype="float64") / answered
    agg["share_adopted"] = np.where(answered > 0, share, np.nan)
    return agg.astype({"district": "string"})[ADVICE_SUMMARY_COLUMNS]


def _dtype(column: str) -> str:
    if column in ("district", "period", "department"):
        return "string"
    return {"n_streets": "int64", "enough": "bool"}.get(column, "float64")
