"""Scope by construction: a scoped Evaluation holds its districts only, in every frame, present and future."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from builders import build_dataset

from dashboard.auth.scope import CITY_WIDE, district_frames, scoped_evaluation
from metrics.evaluation import Evaluation, evaluate


@pytest.fixture(scope="module")
def built() -> Evaluation:
    return evaluate(build_dataset())


def frames(ev: Evaluation) -> dict[str, pd.DataFrame]:
    """Every DataFrame field of ev, found by walking the dataclass (not from any list in the code)."""
    return {f.name: v for f in dataclasses.fields(ev) if isinstance(v := getattr(ev, f.name), pd.DataFrame)}


def districts_named(df: pd.DataFrame) -> set[str]:
    """Every district a frame names: in any text *district column's values and in its unused categories."""
    found: set[str] = set()
    named = [c for c in df.columns if "district" in str(c) and not pd.api.types.is_numeric_dtype(df[c])]
    for col in named:
        values = df[col]
        found |= {str(v) for v in values.dropna().unique()}
        if isinstance(values.dtype, pd.CategoricalDtype):
            found |= {str(v) for v in values.cat.categories}
    return found


def test_every_frame_of_a_scoped_evaluation_holds_only_its_district(built):
    everyone = frames(built)
    # the walk finds the frames the issue names, and each of them has other districts to cut away
    assert {"scores", "items", "funds", "list_changes", "district_summary"} <= set(everyone)
    for name in ("funds", "list_changes", "scores", "items"):
        assert len(districts_named(everyone[name])) > 1, name
    district = built.districts[0]
    scoped = scoped_evaluation(built, frozenset({district}))
    for name, df in frames(scoped).items():
        assert districts_named(df) <= {district}, name
        if name in CITY_WIDE:  # statistics of the whole city: they name no district and no street
            text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
            assert not [c for c in text if "district" in str(c) or "street" in str(c)], name
            continue
        mine = everyone[name]["district"].astype("string").eq(district).fillna(False).to_numpy(dtype=bool)
        assert len(df) == int(mine.sum()), name  # cut, not emptied
    assert scoped.districts == (district,)


def test_the_frames_cut_are_the_dataclass_frames(built):
    assert set(district_frames(built)) == set(frames(built)) - CITY_WIDE
    assert set(frames(built)) >= CITY_WIDE  # no stale declaration


def test_a_frame_added_to_the_evaluation_is_cut_without_being_listed(built):
    @dataclasses.dataclass(frozen=True, eq=False)
    class Wider(Evaluation):
        extra: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    extra = built.scores[["district", "street", "period"]].copy()
    wider = Wider(**{f.name: getattr(built, f.name) for f in dataclasses.fields(built)}, extra=extra)
    district = built.districts[-1]
    cut = scoped_evaluation(wider, frozenset({district}))
    assert set(cut.extra["district"]) == {district}


def test_a_frame_without_a_district_column_is_refused_not_passed_whole(built):
    @dataclasses.dataclass(frozen=True, eq=False)
    class Wider(Evaluation):
        extra: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    wider = Wider(**{f.name: getattr(built, f.name) for f in dataclasses.fields(built)}, extra=built.scores[["street"]])
    with pytest.raises(TypeError, match="extra"):
        scoped_evaluation(wider, frozenset(built.districts[:1]))
