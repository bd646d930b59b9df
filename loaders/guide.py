"""The format guide as data: every sheet, header with its accepted forms and value forms, built from loaders/maps.

One source for three readers: the loader (loaders/maps), the templates' 填报说明 sheet (loaders/template.py) and
the generated tables of docs/FORMATS.md (`python -m loaders guide`), so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders import parse
from loaders.schema import TABLES
from loaders.vocab import map_rows, statuses, street_types, vocabulary

IGNORED = "_ignored"
# Sheets in the order an officer meets them; the sheet names come from maps/sheets.csv.
TABLE_ORDER = (
    "register",
    "list_items",
    "crosswalk",
    "performance",
    "service",
    "unlisted",
    "enforcement",
    "dept_ratings",
    "advice",
    "offices",
)
TABLE_ZH = {
    "register": "街道名册",
    "list_items": "三张清单（职责任务清单 / 便民服务清单 / 执法监管清单），及考核用的事务清单",
    "crosswalk": "清单对照（事务清单 ↔ 职责任务清单）",
    "performance": "履职情况",
    "service": "便民服务",
    "unlisted": "清单外事项",
    "dept_ratings": "部门评价（街道评价区级部门）",
    "advice": "建议权（街道对重大规划/决策的意见）",
    "enforcement": "执法情况",
    "offices": "机构设置（街道内设科室，5+X）",
}
# The sheet-wide keys (columns or title lines) each sheet takes from the common aliases.
SHEET_WIDE = {
    "register": ("district", "street"),
    "list_items": ("district", "year"),
    "performance": ("district", "street", "period"),
    "service": ("district", "street", "period"),
    "unlisted": ("district", "street", "period"),
    "crosswalk": ("district", "year"),
    "dept_ratings": ("district", "street", "period"),
    "advice": ("district", "street"),
    "enforcement": ("district", "street", "period"),
    "offices": ("district", "street"),
}
# Columns an officer must give (a sheet-wide value may stand on a title line instead of a column): the reader's own.
REQUIRED = {table: set(keys) for table, keys in parse.REQUIRED.items()}
PERIOD_FORMS = "2021Q1、2021-Q1、2021年第一季度、2021年一季度、2021年3月（写月份即该月所在季度）"
YESNO = "是 / 否（其他写法见“可识别的写法”）"
NUMBER = "数字，不带单位"
SCORE = "0 到满分之间的数（4 或 4分）；超过满分、为负不收；没有评这一项空着；四项都空着的行跳过（提示）"
FUNDS = "随事项下放的经费，单位万元：12.5；写 12.5万元、125000元 也认；不能为负；没有下放经费填 0 或空着"
# What to write in each column, in plain Chinese: (table or "*", key) → text.
VALUES: dict[tuple[str, str], str] = {
    ("*", "district"): "区(市)县名称，如 武侯区；报表里可以不写，按街道名册补出",
    ("*", "street"): "与街道名册一致的名称；带不带“街道办事处、办事处、街道、镇人民政府、镇政府”都可以",
    ("*", "period"): f"季度：{PERIOD_FORMS}；2021-1、2021.1、2021/1 分不清季度还是月份，不收",
    ("*", "year"): "清单年度：2021、2021年、2021年度",
    ("register", "street_type"): " / ".join(street_types())
    + f"（也认 {'、'.join(a for a, v in vocabulary('street_type').items() if a != v)}）",
    ("register", "population"): "常住人口，整数",
    ("register", "pilot"): YESNO,
    ("list_items", "list_type"): (
        "只在一张表里放三张清单时用：职责任务 / 便民服务 / 执法监管 / 事务；"
        "区县送来某年度的事务清单，即声明该年度按事务清单考核（计分方法不变），职责任务清单仍须一并送来"
    ),
    ("list_items", "item_code"): "事项编号，同一区县同一年度内不重复",
    ("list_items", "function"): (
        "五大职能之一（统筹社区发展、组织公共服务、实施综合管理、优化营商环境、维护社区平安，或简称 "
        "社区发展、公共服务、综合管理、营商环境、社区平安）；招商引资、协税护税、经济发展 类事项不计分"
    ),
    ("list_items", "major_item"): "事项大类，可空",
    ("list_items", "item_name"): "事项名称",
    ("list_items", "office"): "责任科室，可空",
    ("list_items", "weight"): "大于 0 的数；空着按 1 计",
    ("list_items", "source_department"): "下放该事项的部门，可空",
    ("list_items", "access_approved"): YESNO,
    ("list_items", "funds_matched"): YESNO,
    ("list_items", "direction"): "正向（越多越好，空着即正向）/ 反向（越少越好，如 事故数、信访量）",
    ("list_items", "applies_to"): "适用的街道类型，如 涉农街道、镇；空着表示所有街道都适用",
    ("list_items", "target"): "目标值，数字",
    ("list_items", "funds_amount"): FUNDS,
    ("list_items", "on_time_target"): "执法监管清单事项的按时办结率目标，百分数：95% 或 95；空着即无此目标",
    (
        "list_items",
        "correction_ceiling",
    ): ("执法监管清单事项可接受的复议/诉讼纠错率上限，百分数：5% 或 5；空着即无此目标"),
    ("performance", "item_code"): "照清单填写事项编号（模板已预填，不要改）",
    ("performance", "item_name"): "事项名称（模板已预填）",
    ("performance", "target"): NUMBER,
    ("performance", "actual"): NUMBER + "，不能为负",
    ("performance", "completion"): "百分数：85%、85 或 0.85 都是 85%；百分比格式的格子按屏幕上显示的读",
    ("performance", "status"): " / ".join(statuses()),
    ("performance", "completion_or_status"): "整列是数字或百分数时读作完成率，是文字时读作完成状态",
    ("performance", "on_time"): YESNO,
    ("performance", "evidence"): "佐证材料名称，文字",
    ("performance", "note"): "文字",
    ("service", "cases"): NUMBER,
    ("service", "online_cases"): NUMBER,
    ("service", "one_visit_cases"): NUMBER,
    ("service", "no_visit_approvals"): NUMBER,
    ("service", "satisfaction"): "百分数：97.4% 或 97.4",
    ("unlisted", "task_name"): "清单外被交办的事项",
    ("unlisted", "assigning_department"): "交办部门",
    ("unlisted", "assigned_date"): "日期：2021-03-02、2021/3/2、2021年3月2日 或 Excel 日期",
    ("unlisted", "access_approved"): YESNO,
    ("unlisted", "funds_matched"): YESNO,
    ("unlisted", "workdays"): "耗用工作日，数字",
    ("unlisted", "access_ref"): "准入审批文号，如 龙府准〔2019〕12号；(2019)、[2019]、【2019】 都读作 〔2019〕",
    ("unlisted", "approval_date"): "准入审批日期，写法同交办日期",
    ("unlisted", "funds_amount"): FUNDS,
    ("crosswalk", "affairs_code"): "事务清单上的事项编号；一个事务可对应多条职责，每对一行",
    ("crosswalk", "duty_code"): "职责任务清单上的事项编号；没有任何事务对应的职责即“未纳入考核”",
    ("crosswalk", "note"): "文字，可空",
    ("unlisted", "returned"): "街道是否把该事项退回交办部门：是 / 否，或 已退回 / 未退回、已承接",
    ("dept_ratings", "department"): "被评价的区级部门，写法与清单的来源部门、清单外事项的交办部门一致（如 区民政局）",
    ("dept_ratings", "scale"): "本行评分的满分：5、10 或 100（也认 5分、5分制、百分制）；其他满分不收",
    ("dept_ratings", "guidance"): SCORE,
    ("dept_ratings", "responsiveness"): SCORE,
    ("dept_ratings", "funding"): SCORE,
    ("dept_ratings", "coordination"): SCORE,
    ("dept_ratings", "comment"): "意见建议，文字",
    ("advice", "decision"): "征求街道意见的重大规划或决策名称",
    ("advice", "consulted_date"): "征求意见的日期，写法同交办日期",
    ("advice", "opinion"): "街道提出的意见，文字",
    ("advice", "adopted"): "采纳 / 部分采纳 / 未采纳（也认 已采纳、是、否）；尚无答复空着",
    ("enforcement", "cases"): "本季度综合执法办理的案件数，整数",
    ("enforcement", "cases_on_time"): "在办理时限内办结的案件数，整数；不能大于案件数",
    ("enforcement", "corrections"): "经行政复议或诉讼被撤销、变更、确认违法的案件数，整数；不能大于案件数",
    ("enforcement", "joint_operations"): "与区(市)县部门开展联合执法的次数，整数",
    ("enforcement", "officers"): "街道综合执法队伍的执法人员数，整数",
    ("unlisted", "office"): "承办该事项的街道科室，名称同机构设置；可空（空着计为未分派到科室）",
    ("offices", "office"): (
        "科室名称，一行一个科室；五个基本科室（综合办公室、党群办公室、社区发展办公室、社区治理办公室、"
        "民生服务办公室）按名称认出，简称见“可识别的取值”office；同一街道同一科室写两次不收"
    ),
    ("offices", "category"): (
        "基本科室 / X科室 / 直属单位（便民服务中心、综合执法队等，不算 X）；可空，空着按名称判断；"
        "与名称不符时按名称计（提示）"
    ),
    ("offices", "posts"): "核定编制人数，整数",
    ("offices", "staff"): "实际在岗人数，整数；多于编制人数时提示（超编）",
    ("offices", "duties"): "科室主要职能，文字，可空",
    ("offices", "note"): "文字，可空",
}
# Columns a report template carries for reference only: copied from the list, never read from a report.
REFERENCE_NOTE = "参考列：由模板从清单抄来，读取时忽略"


@dataclass(frozen=True)
class Column:
    """One column of one sheet as the guide shows it."""

    table: str
    key: str
    header: str  # the standard header, as the templates write it
    forms: tuple[str, ...]  # the other accepted headers
    required: bool
    values: str


def sheet_names(table: str) -> list[str]:
    """The sheet names that are read as `table` (a name may carry extra words: 2021年职责任务清单)."""
    return [r["sheet"] for r in map_rows("sheets.csv") if r["table"] == table]


def _aliases(table: str) -> dict[str, list[str]]:
    """key → its header forms in columns.csv order, sheet-wide keys (district, street…) first."""
    out: dict[str, list[str]] = {}
    rows = map_rows("columns.csv")
    for scope in ("*", table):
        for r in rows:
            if r["table"] == scope:
                out.setdefault(r["key"], []).append(r["alias"])
    return out


def columns(table: str) -> list[Column]:
    """Every column the loader reads on a `table` sheet, in the order of the canonical table."""
    aliases = _aliases(table)
    own = {r["key"] for r in map_rows("columns.csv") if r["table"] == table}
    keys = [k for k in aliases if k != IGNORED and (k in own or k in SHEET_WIDE[table])]
    order = {f.key: i for i, f in enumerate(TABLES[table].fields)} if table in TABLES else {}
    keys.sort(key=lambda k: order.get(k, len(order)))
    return [
        Column(
            table,
            k,
            aliases[k][0],
            tuple(aliases[k][1:]),
            k in REQUIRED.get(table, set()),
            VALUES.get((table, k)) or VALUES.get(("*", k), ""),
        )
        for k in keys
    ]


def reference_headers(table: str) -> list[str]:
    """Headers read as nothing on a `table` sheet (序号, and the list's reference columns in a report)."""
    return [r["alias"] for r in map_rows("columns.csv") if r["key"] == IGNORED and r["table"] in ("*", table)]


def words(vocabulary: str) -> dict[str, list[str]]:
    """Canonical value → every word read as it, for one vocabulary of maps/values.csv."""
    out: dict[str, list[str]] = {}
    for r in map_rows("values.csv"):
        if r["vocabulary"] == vocabulary:
            out.setdefault(r["value"], []).append(r["alias"])
    return out


GENERAL = (
    "按工作表名称读取：名称里含有下列名称即可（如“2021年职责任务清单”），几个都符合时取最长的。",
    "表头上方的标题行可写 名称：值，如“填报单位：玉林街道    报告期：2021年第一季度”；也可把名称和值写在相邻两格。",
    "空行可在任何位置；以 合计、小计、总计、填表人、填报人、审核人、负责人、注：、说明：、备注： 开头的行"
    "跳过不读，并在检查结果中列出。",
    "名为“填报说明”或“填表说明”的工作表是说明，不读取。",
    "检查结果逐条写明 文件 › 工作表!单元格 和原因；有错误的文件不导入，数据库不变。",
)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|") or "—"


def markdown() -> str:
    """The generated part of docs/FORMATS.md: one table per sheet, then the accepted words."""
    out = []
    for table in TABLE_ORDER:
        names = "、".join(f"`{n}`" for n in sheet_names(table))
        out += [f"### {TABLE_ZH[table]}", "", f"工作表名称 Sheet names: {names}", ""]
        out += ["| 表头 header | 也认 accepted forms | 键 key | 必填 req. | 填写 values |", "|---|---|---|---|---|"]
        for c in columns(table):
            forms = "、".join(c.forms)
            req = "是" if c.required else "否"
            out.append(f"| {c.header} | {_md_cell(forms)} | `{c.key}` | {req} | {_md_cell(c.values)} |")
        ignored = "、".join(reference_headers(table))
        out += ["", f"不读取的列 Columns read as nothing: {ignored}", ""]
    out += ["### 可识别的取值 Words read as values", ""]
    out += ["| 词表 vocabulary | 取值 value | 也认 accepted words |", "|---|---|---|"]
    for vocab in dict.fromkeys(row["vocabulary"] for row in map_rows("values.csv")):
        for value, forms in words(vocab).items():
            out.append(f"| {vocab} | {value} | {_md_cell('、'.join(forms))} |")
    return "\n".join(out) + "\n"


def sheet_rows(tables: tuple[str, ...] = ("performance", "service", "unlisted")) -> list[tuple[str, ...]]:
    """The 填报说明 sheet's rows: general rules, then 工作表 | 列名 | 也可写作 | 必填 | 怎么填 per column."""
    rows: list[tuple[str, ...]] = [("一、通用规则",)]
    rows += [(f"{i}. {text}",) for i, text in enumerate(GENERAL, start=1)]
    rows += [(), ("二、各列怎么填",), ("工作表", "列名", "也可写作", "是否必填", "怎么填")]
    for table in tables:
        for c in columns(table):
            rows.append((TABLE_ZH[table], c.header, "、".join(c.forms), "必填" if c.required else "选填", c.values))
        for h in reference_headers(table):
            if h != "序号":
                rows.append((TABLE_ZH[table], h, "", "—", REFERENCE_NOTE))
    rows += [(), ("三、可识别的写法",)]
    for vocab, name in (("status", "完成状态"), ("yesno", "是/否")):
        for value, forms in words(vocab).items():
            label = {"true": "是", "false": "否"}.get(value, value)
            rows.append((name, label, "、".join(forms)))
    rows.append(("报告期", PERIOD_FORMS))
    return rows
