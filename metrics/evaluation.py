"""Every precomputed frame the dashboard and exports need, in one bundle: `evaluate(ds, config=None)`.

The dashboard holds one Evaluation and only filters it. Names and columns below are stable.
Scores and rates are unrounded floats (scores 0–100, rates 0–1); NaN means "no value", never 0.

Evaluation fields
- config: metrics.config.Config used.
- scores: one row per (district, street, period), sorted by district, street, period.
    docs/FORMATS.md §4 keys: district, street, period, overall, community_development, public_services,
      comprehensive_management, business_environment, community_safety, items_listed, items_reported,
      items_missing, removed_indicators, unlisted_items, unlisted_tasks, list_year (Int64, NA = no list),
      submitted (bool; False = 未报送, FORMATS.md §6: empty scores, no grade, rank or place in district_summary)
    then: list_fallback (bool), street_type (string, NA if not in the register),
      grade (string, NA when no score),
      completeness, on_time_known, on_time_count, on_time_rate,
      rank_district, n_district, rank_city, n_city, percentile_city, peer_group, rank_peer, n_peer,
      overall_prev_quarter, change_prev_quarter, overall_year_ago, change_year_ago,
      cases, online_rate, one_visit_rate, no_visit_approvals, satisfaction,
      unlisted_workdays, share_not_approved, share_without_funds,
      points_lost_missing, share_ratio, share_completion, share_status, share_missing, status_share_reported,
      evidence_class (metrics.evidence), change_year_ago_common, change_prev_quarter_common (metrics.change_parts)
    (column list: SCORES_COLUMNS)
- items: item detail, one row per (street, period, item) — score.ITEM_COLUMNS:
    district, street, period, item_code, item_name, function, weight, target, actual, completion_reported,
    status, on_time, evidence, c, included, category (scored/missing/removed/unlisted), c_source
    (ratio/completion/status/none; NaN when there is no report row). District, street, period and
    the text columns are Categorical; sorted by district, street, period, item_code.
    Use `items_for(district, street, period)` for one street and quarter.
- service: service.SERVICE_COLUMNS — district, street, period, cases, online_cases, one_visit_cases,
    no_visit_approvals, satisfaction, online_rate, one_visit_rate (one row per 便民服务 report).
- burden_by_street: burden.BURDEN_STREET_COLUMNS — district, street, period, unlisted_tasks, unlisted_workdays,
    tasks_not_approved, approval_known, share_not_approved, tasks_without_funds, funds_known, share_without_funds
    (every scored key; 0 tasks where none).
- burden_by_department: burden.BURDEN_DEPARTMENT_COLUMNS — district, period, assigning_department,
    unlisted_tasks, streets, then as above; most tasks first within district and period.
- funds: funds.FUNDS_COLUMNS — district, year, list_type, items, delegated, funds_matched, funds_known,
    access_approved, approval_known, share_funds_matched, share_access_approved.
- funds_by_department: funds.FUNDS_DEPARTMENT_COLUMNS — district, year, source_department, then as above.
- fund_match: fund_match.FUND_MATCH_COLUMNS — 事权财权匹配 per (district, year): delegated, delegated_with_funds,
    delegated_without_funds, delegated_funds_unknown, tasks, tasks_with_funds, task_workdays, unfunded_workdays,
    list_funds_wan, task_funds_wan (万元, NaN = none given), funds_sent_wan, share_delegated_with_funds,
    yuan_per_workday (task 万元 per reported workday, in 元).
- fund_match_by_department: the same per (district, year, department) (来源部门 of items = 交办部门 of tasks).
- access_ledger: access_ledger.LEDGER_COLUMNS — per (district, period, department): tasks, returned (退回),
    returned_known, not_approved, approval_known, with_ref (准入文号 given), streets, funds_wan, share_returned,
    share_not_approved.
- no_entry: access_ledger.NO_ENTRY_COLUMNS — 非准禁入: district, period, department, quarters (consecutive quarters
    with unapproved tasks up to period, ≥ config.no_entry_quarters), since, not_approved_in_run.
- major_scores: majors.MAJOR_COLUMNS — 大项 drill-down: district, street, period, major_item, function, items,
    weight, score (0–100 over the major item's included items); submitted streets of lists with 大项 only.
- major_district: majors.MAJOR_DISTRICT_COLUMNS — per (district, period, major_item): function, items, weight,
    streets, median, min, max of the streets' 大项 scores.
- departments: departments.DEPARTMENT_COLUMNS — 考核权 (issue 15): per (district, period, department) rated by
    streets or assigning unlisted tasks: n_streets, guidance, responsiveness, funding, coordination, overall (means on
    0–100), sd, low, high (90 % interval; NaN below MIN_RATINGS streets), enough, overall_prev, change_prev; the
    department's unlisted_tasks, unlisted_workdays, share_not_approved, share_without_funds (burden_by_department),
    returned, share_returned (access_ledger), delegated, share_delegated_with_funds (fund_match_by_department, the
    period's year); rank, rank_best, rank_worst, n_ranked (Int64, NA without enough ratings).
- advice: departments.ADVICE_COLUMNS — the 建议权 record (district, street, decision, consulted_date, opinion,
    adopted); advice_summary: departments.ADVICE_SUMMARY_COLUMNS per district.
- enforcement: enforcement.ENFORCEMENT_COLUMNS — 执法情况 per (district, street, period) reported: cases, cases_on_time,
    corrections, joint_operations, officers, on_time_rate, correction_rate, cases_per_officer,
    list_year (执法监管清单 in force, NA = none), on_time_target, correction_ceiling (the list's, NaN = none stated),
    on_time_met, correction_met, on_time_attainment, correction_attainment,
    enforcement_score (0–100; NaN = no target applies).
- offices: offices.OFFICE_COLUMNS — 机构设置 per (district, street, office): office_category (standard / x / unit),
    standard_office, posts, staff, and its workload in the district's latest list year: items, item_weight (list items
    whose 责任科室 names it), unlisted_tasks (清单外事项 whose 承办科室 names it).
- office_items: offices.UNMATCHED_COLUMNS — list items of a street with a 机构设置 that no office of it carries
    (office_reason: empty 责任科室, or no_office of that name).
- office_model: offices.MODEL_COLUMNS — per street of a district with a 机构设置: offices, standard_present,
    standard_missing, x_offices, units, posts, staff, items, items_unmatched, unlisted_tasks, unlisted_unassigned,
    follows_5x and office_verdict (follows / missing_standard / too_few_x / too_many_x / not_reported).
- district_summary: districts.DISTRICT_COLUMNS — district, period, n_streets, n_scored, n_unsubmitted (未报送),
    mean, median, q1, q3, min, max, median_<function> ×5, then n_<grade>, share_<grade> per grade in `grades` order.
- list_changes: list_changes.LIST_CHANGE_COLUMNS — district, year_from, year_to, item_code, change
    (added/dropped/reweighted/moved/moved+reweighted), item_name_from/_to, function_from/_to,
    weight_from/_to (the weights that count: absent = 1; NaN on the side where the item is not listed),
    added, dropped, reweighted, moved; for each district's consecutive duty-list years; changed items only.
- evaluation_lists: eval_lists.EVALUATION_LIST_COLUMNS — per (district, year): scored_list (duty, or affairs where
    the district declared a 事务清单: §4 is computed on it), items, duty_items (issue 15, several scored lists).
- list_crosswalk / coverage_gaps / coverage_summary: list_coverage CROSSWALK_COLUMNS / GAP_COLUMNS / SUMMARY_COLUMNS —
    the 清单对照 pairs, duties no 事务 evaluates and 事务 with no duty, and their counts, per declaring district–year.
- periods: tuple of periods sorted ("2019Q1" < "2019Q2" …); districts: tuple sorted;
  streets: frame district, street, street_type, pilot (register ∪ streets that reported), sorted;
  grades: grade names, best first; list_years: frame district, year, items (duty items incl. removed).
- views: metrics.views VIEW_COLUMNS — official, common-core (data/common_core.csv) and within-district standardised
  score and city rank of each scored street-quarter, with the rank shifts; core_coverage: metrics.common_core
  COVERAGE_COLUMNS; coherence, validity: metrics.coherence COHERENCE_COLUMNS / VALIDITY_COLUMNS per period;
  status_effect: metrics.status_effect STATUS_EFFECT_COLUMNS (进行中 at the low and high end of its range).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loaders.schema import Dataset
from metrics.access_ledger import ledger_by_department, no_entry_list
from metrics.burden import burden_by_department, burden_by_street
from metrics.change_parts import COMMON_CHANGE_COLUMNS, common_item_changes
from metrics.coherence import coherence, external_validity
from metrics.common_core import core_coverage, core_scores, load_crosswalk
from metrics.completeness import COMPLETENESS_COLUMNS, reporting_completeness
from metrics.config import Config, load_config
from metrics.departments import advice_records, advice_summary, department_ratings, department_scorecard
from metrics.districts import district_summary
from metrics.enforcement import enforcement_scores
from metrics.eval_lists import evaluation_lists
from metrics.evidence import EVIDENCE_COLUMNS, evidence_mix
from metrics.fund_match import fund_match_by_department, fund_match_by_district
from metrics.funds import duty_fund_matching, funds_by_department
from metrics.keys import KEY
from metrics.list_changes import all_list_changes
from metrics.list_coverage import coverage_gaps, coverage_summary, crosswalk_rows
from metrics.majors import major_district, major_scores
from metrics.offices import office_frames
from metrics.ranks import CHANGE_COLUMNS, RANK_COLUMNS, rank_scores, score_changes
from metrics.score import SCORE_COLUMNS, SCORE_EXTRAS, compute
from metrics.service import service_efficiency
from metrics.status_effect import status_effect
from metrics.views import comparison_views

SERVICE_IN_SCORES = ["cases", "online_rate", "one_visit_rate", "no_visit_approvals", "satisfaction"]
BURDEN_IN_SCORES = ["unlisted_workdays", "share_not_approved", "share_without_funds"]
SCORES_COLUMNS: list[str] = [
    *SCORE_COLUMNS,
    *SCORE_EXTRAS,
    *COMPLETENESS_COLUMNS[len(KEY) :],
    *RANK_COLUMNS,
    *CHANGE_COLUMNS,
    *SERVICE_IN_SCORES,
    *BURDEN_IN_SCORES,
    *EVIDENCE_COLUMNS,
    *COMMON_CHANGE_COLUMNS,
]


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so callers may cache on it
class Evaluation:
    """All frames of one evaluation (see the module docstring for every column)."""

    config: Config
    scores: pd.DataFrame
    items: pd.DataFrame
    service: pd.DataFrame
    burden_by_street: pd.DataFrame
    burden_by_department: pd.DataFrame
    funds: pd.DataFrame
    funds_by_department: pd.DataFrame
    fund_match: pd.DataFrame
    fund_match_by_department: pd.DataFrame
    access_ledger: pd.DataFrame
    no_entry: pd.DataFrame
    major_scores: pd.DataFrame
    major_district: pd.DataFrame
    departments: pd.DataFrame  # metrics.departments DEPARTMENT_COLUMNS: the streets' ratings of departments
    advice: pd.DataFrame  # metrics.departments ADVICE_COLUMNS: the 建议权 record
    advice_summary: pd.DataFrame  # metrics.departments ADVICE_SUMMARY_COLUMNS
    enforcement: pd.DataFrame  # metrics.enforcement ENFORCEMENT_COLUMNS: 执法情况 against the 执法监管清单's targets
    offices: pd.DataFrame  # metrics.offices OFFICE_COLUMNS: 机构设置 and each office's workload
    office_items: pd.DataFrame  # metrics.offices UNMATCHED_COLUMNS: list items no office of the street carries
    office_model: pd.DataFrame  # metrics.offices MODEL_COLUMNS: the 5+X verdict per street
    district_summary: pd.DataFrame
    list_changes: pd.DataFrame
    periods: tuple[str, ...]
    districts: tuple[str, ...]
    streets: pd.DataFrame
    grades: tuple[str, ...]
    list_years: pd.DataFrame
    views: pd.DataFrame  # metrics.views VIEW_COLUMNS: official, common-core and standardised score and rank
    core_coverage: pd.DataFrame  # metrics.common_core COVERAGE_COLUMNS
    coherence: pd.DataFrame  # metrics.coherence COHERENCE_COLUMNS, per period (all streets of the evaluation)
    validity: pd.DataFrame  # metrics.coherence VALIDITY_COLUMNS, per period
    status_effect: pd.DataFrame  # metrics.status_effect STATUS_EFFECT_COLUMNS: ranks with 进行中 at its low/high value
    evaluation_lists: pd.DataFrame  # metrics.eval_lists EVALUATION_LIST_COLUMNS: the list scored per district–year
    list_crosswalk: pd.DataFrame  # metrics.list_coverage CROSSWALK_COLUMNS
    coverage_gaps: pd.DataFrame  # metrics.list_coverage GAP_COLUMNS: duties never evaluated, 事务 with no duty
    coverage_summary: pd.DataFrame  # metrics.list_coverage SUMMARY_COLUMNS
    _item_slices: dict = field(default_factory=dict, repr=False, compare=False)

    def scores_for(self, period: str | None = None, district: str | None = None) -> pd.DataFrame:
        """Score rows of one period and/or district (all when None)."""
        mask = np.ones(len(self.scores), dtype=bool)
        if period is not None:
            mask &= self.scores["period"].eq(period).to_numpy(dtype=bool, na_value=False)
        if district is not None:
            mask &= self.scores["district"].eq(district).to_numpy(dtype=bool, na_value=False)
        return self.scores.loc[mask]

    def items_for(self, district: str, street: str, period: str) -> pd.DataFrame:
        """Item detail of one street and period (a slice lookup, no scan)."""
        start, stop = self._item_slices.get((district, street, period), (0, 0))
        return self.items.iloc[start:stop]

    def street_history(self, district: str, street: str) -> pd.DataFrame:
        """Score rows of one street over all periods, oldest first."""
        s = self.scores
        mask = s["district"].eq(district).to_numpy(dtype=bool, na_value=False) & s["street"].eq(street).to_numpy(
            dtype=bool, na_value=False
        )
        return s.loc[mask].sort_values("period")


def evaluate(ds: Dataset, config: Config | None = None) -> Evaluation:
    """Score the dataset and compute every indicator once."""
    config = config or load_config()
    scored = compute(ds, config)
    base, items = scored.scores, scored.items
    completeness = reporting_completeness(base, scored.on_time)
    service = service_efficiency(ds)
    burden = burden_by_street(ds, base[KEY])
    scores = (
        base.merge(completeness, on=KEY, how="left")
        .merge(rank_scores(base), on=KEY, how="left")
        .merge(score_changes(base), on=KEY, how="left")
        .merge(service[[*KEY, *SERVICE_IN_SCORES]], on=KEY, how="left")
        .merge(burden[[*KEY, *BURDEN_IN_SCORES]], on=KEY, how="left")
        .merge(evidence_mix(items), on=KEY, how="left")
        .merge(common_item_changes(items, base), on=KEY, how="left")
    )[SCORES_COLUMNS]
    streets = _streets(ds, base)
    crosswalk = load_crosswalk()
    duty = ds.list_items.loc[ds.list_items["list_type"].eq("duty").fillna(False).to_numpy(dtype=bool)]
    list_years = duty.groupby(["district", "year"], sort=True).size().rename("items").reset_index()
    match_departments = fund_match_by_department(ds, config)
    ledger = ledger_by_department(ds)
    majors = major_scores(ds, items, scores)
    pairs, gaps = crosswalk_rows(ds), coverage_gaps(ds, config)
    burden_departments = burden_by_department(ds)
    advice = advice_records(ds)
    offices, office_items, office_model = office_frames(ds, config)
    return Evaluation(
        config=config,
        scores=scores,
        items=items,
        service=service,
        burden_by_street=burden,
        burden_by_department=burden_departments,
        funds=duty_fund_matching(ds, config),
        funds_by_department=funds_by_department(ds, config),
        fund_match=fund_match_by_district(match_departments),
        fund_match_by_department=match_departments,
        access_ledger=ledger,
        no_entry=no_entry_list(ledger, config),
        major_scores=majors,
        major_district=major_district(majors),
        departments=department_scorecard(department_ratings(ds), burden_departments, ledger, match_departments),
        advice=advice,
        advice_summary=advice_summary(advice),
        enforcement=enforcement_scores(ds),
        offices=offices,
        office_items=office_items,
        office_model=office_model,
        district_summary=district_summary(base, config),
        list_changes=all_list_changes(ds.list_items),
        periods=tuple(sorted(base["period"].dropna().unique().tolist())),
        districts=tuple(sorted(streets["district"].dropna().unique().tolist())),
        streets=streets,
        grades=config.grade_names,
        list_years=list_years,
        views=comparison_views(scores, core_scores(ds, crosswalk, config)),
        core_coverage=core_coverage(ds, crosswalk, config),
        coherence=coherence(scores),
        validity=external_validity(scores),
        status_effect=status_effect(items, scores, config),
        evaluation_lists=evaluation_lists(ds.list_items),
        list_crosswalk=pairs,
        coverage_gaps=gaps,
        coverage_summary=coverage_summary(ds, gaps, pairs),
        _item_slices=_slices(items),
    )


def derived_fields(values: dict[str, object]) -> dict[str, object]:
    """The `_` fields of an Evaluation made from its stored fields (metrics.results rebuilds one from the store)."""
    items = values["items"]
    assert isinstance(items, pd.DataFrame)
    return {"_item_slices": _slices(items)}


def _streets(ds: Dataset, scores: pd.DataFrame) -> pd.DataFrame:
    reg = ds.register[["district", "street", "street_type", "pilot"]].astype(
        {"district": "string", "street": "string", "street_type": "string", "pilot": "boolean"}
    )
    seen = scores[["district", "street"]].drop_duplicates()
    out = reg.drop_duplicates(["district", "street"]).merge(seen, on=["district", "street"], how="outer")
    return out.sort_values(["district", "street"], ignore_index=True)


def _slices(items: pd.DataFrame) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(district, street, period) → row range in items, which is sorted by those keys."""
    if items.empty:
        return {}
    codes = np.column_stack([items[k].cat.codes.to_numpy() for k in KEY])
    change = np.flatnonzero(np.any(codes[1:] != codes[:-1], axis=1)) + 1
    starts = np.concatenate([[0], change])
    stops = np.concatenate([change, [len(items)]])
    names = [items[k].cat.categories.to_numpy()[codes[starts, i]] for i, k in enumerate(KEY)]
    return {(str(d), str(s), str(p)): (int(a), int(b)) for d, s, p, a, b in zip(*names, starts, stops, strict=True)}
