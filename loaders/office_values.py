"""机构设置 (issue 15 point 4): which of the five standard offices a name is, and the sheet's row rules."""

from __future__ import annotations

from collections.abc import Callable

from loaders.text import key
from loaders.vocab import vocabulary

# The five standard offices of the 5+X model, in the order the reform names them (values.csv `office` maps names).
STANDARD = ("general", "party", "development", "governance", "livelihood")
UNIT = "unit"  # a centre or team beside the offices (便民服务中心, 综合执法队): not one of the X
EXTRA = "x"

Add = Callable[[str, str, str, str, str], None]  # level, code, zh, en, cell


def office_kind(name: object) -> str | None:
    """The standard office key or 'unit' a name is known as (values.csv `office`), None for any other name."""
    return vocabulary("office").get(key(name))


def match_key(name: object) -> str:
    """The key a 责任科室 text and an office name are matched by: the standard office they name, else the name
    normalised (no spaces, NFKC, lower case) with 办公室 shortened to 办 ('' for empty)."""
    kind = office_kind(name)
    if kind in STANDARD:
        return kind
    k = key(name)
    return k[: -len("办公室")] + "办" if k.endswith("办公室") else k


def derive(cols: dict[str, list], add: Add, at: Callable[[str, list[int]], list[str]]) -> None:
    """Fill `standard_office` and `category` from the names; a stated 科室类别 that the name contradicts is a
    warning at its cell, and the name wins. 在岗人数 above 编制人数 is a warning at the 在岗人数 cell."""
    names = cols.get("office") or []
    stated = cols.get("category") or [None] * len(names)
    kinds = [office_kind(n) if n is not None else None for n in names]
    cols["standard_office"] = [k if k in STANDARD else None for k in kinds]
    category, clash = [], []
    for i, (k, s) in enumerate(zip(kinds, stated, strict=True)):
        derived = "standard" if k in STANDARD else UNIT if k == UNIT else None
        if derived is None:  # an X office unless the sheet says it is a centre or team
            category.append(UNIT if s == UNIT else EXTRA)
            if s == "standard":
                clash.append(i)
        else:
            category.append(derived)
            if s is not None and s != derived:
                clash.append(i)
    for i, cell in zip(clash, at("category", clash), strict=True):
        add(
            "warning",
            "category_by_name",
            f"“{names[i]}”的科室类别与名称不符，按名称计为{_ZH[category[i]]}",
            f"the category of '{names[i]}' contradicts its name; counted as {category[i]} by its name",
            cell,
        )
    cols["category"] = category
    posts, staff = cols.get("posts"), cols.get("staff")
    if posts is None or staff is None:
        return
    over = [i for i, (p, s) in enumerate(zip(posts, staff, strict=True)) if p is not None and s is not None and s > p]
    for i, cell in zip(over, at("staff", over), strict=True):
        add(
            "warning",
            "staff_over_posts",
            f"在岗人数 {staff[i]} 多于编制人数 {posts[i]}（超编）",
            f"staff in post {staff[i]} exceed the established posts {posts[i]}",
            cell,
        )


_ZH = {"standard": "基本科室", EXTRA: "X 科室", UNIT: "直属单位"}
