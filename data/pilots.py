"""The four pilot districts of the sample: streets, list rules, performance profiles and report layouts."""

from __future__ import annotations

from dataclasses import replace

from data.layouts import ListStyle, ReportStyle
from data.world import Adjustment, District, Item, ListSpec, Profile, Street

SEED = 2019

# (name, type, population, pilot). Populations are invented round figures, not statistics.
STREETS: dict[str, tuple[str, list[tuple[str, str, int, bool]]]] = {
    "武侯区": (
        "WH",
        [
            ("玉林街道", "城区街道", 78000, True),
            ("浆洗街街道", "城区街道", 62000, False),
            ("望江路街道", "城区街道", 71000, False),
            ("火车南站街道", "城区街道", 96000, False),
            ("簇桥街道", "城区街道", 118000, False),
            ("红牌楼街道", "城区街道", 105000, False),
            ("晋阳街道", "城区街道", 112000, False),
            ("华兴街道", "城区街道", 58000, False),
            ("机投桥街道", "城区街道", 88000, False),
            ("金花桥街道", "涉农街道", 64000, True),
            ("簇锦街道", "城区街道", 92000, False),
            ("石羊街道", "城区街道", 135000, False),
            ("桂溪街道", "城区街道", 160000, False),
        ],
    ),
    "龙泉驿区": (
        "LQ",
        [
            ("龙泉街道", "城区街道", 210000, False),
            ("大面街道", "城区街道", 150000, False),
            ("十陵街道", "城区街道", 95000, True),
            ("同安街道", "城区街道", 80000, False),
            ("柏合街道", "涉农街道", 60000, False),
            ("东安街道", "涉农街道", 55000, False),
            ("西河街道", "涉农街道", 70000, False),
            ("洛带镇", "镇", 45000, False),
            ("黄土镇", "镇", 38000, False),
            ("山泉镇", "镇", 25000, False),
            ("茶店镇", "镇", 18000, False),
            ("洪安镇", "镇", 35000, False),
        ],
    ),
    "邛崃市": (
        "QL",
        [
            ("临邛街道", "城区街道", 165000, False),
            ("文君街道", "城区街道", 90000, False),
            ("固驿街道", "涉农街道", 42000, False),
            ("羊安街道", "涉农街道", 48000, False),
            ("平乐镇", "镇", 52000, False),
            ("夹关镇", "镇", 28000, False),
            ("火井镇", "镇", 24000, False),
            ("天台山镇", "镇", 18000, False),
            ("高何镇", "镇", 8000, False),
            ("桑园镇", "镇", 40000, False),
        ],
    ),
    "彭州市": (
        "PZ",
        [
            ("天彭街道", "城区街道", 210000, True),
            ("军乐镇", "镇", 60000, True),
            ("白鹿镇", "镇", 30000, True),
            ("丹景山镇", "镇", 55000, True),
            ("三界镇", "镇", 45000, True),
        ],
    ),
}


def districts() -> list[District]:
    """The four pilot districts with their streets."""
    return [District(name, code, tuple(Street(name, *row) for row in rows)) for name, (code, rows) in STREETS.items()]


IMPROVING = "十陵街道"  # a pilot street that catches up quarter by quarter
DECLINING = "簇锦街道"  # a street that slips
DISTRICT_LEVEL = {"武侯区": 0.03, "龙泉驿区": -0.03, "邛崃市": 0.0, "彭州市": -0.01}


def profile(street: Street, draw: float) -> Profile:
    """Performance profile of a street; draw in [0, 1) spreads the ordinary streets."""
    if street.name == IMPROVING:
        return Profile(base=0.6, trend=0.045, miss=0.14, miss_trend=-0.017)
    if street.name == DECLINING:
        return Profile(base=0.97, trend=-0.05, miss=0.02, miss_trend=0.02)
    trend = 0.01 if street.district == "彭州市" else 0.0
    return Profile(base=0.8 + 0.12 * draw + DISTRICT_LEVEL[street.district], trend=trend)


LQ_MAJORS = (
    "基层党建",
    "社区营造",
    "社区文化",
    "社会保障",
    "就业创业",
    "养老服务",
    "卫生健康",
    "便民服务",
    "城市管理",
    "生态环境",
    "综合执法",
    "网格化管理",
    "农业农村",
    "政务服务",
    "市场秩序",
    "惠企服务",
    "安全生产",
    "应急管理",
    "社会治安",
    "矛盾调解",
    "平安建设",
)  # 21 major items (大项), as in the seed

# 63 powers from 13 departments were delegated in Longquanyi (the seed).
LQ_DEPARTMENTS = (
    "民政局",
    "文广旅局",
    "人社局",
    "卫健局",
    "行政审批局",
    "城管局",
    "生态环境局",
    "农业农村局",
    "市场监管局",
    "应急管理局",
    "公安分局",
    "司法局",
    "住建局",
)

MUST = ("减税降费政策宣传", "第四次全国经济普查配合", "企业开办帮办代办", "营商环境投诉处理")

LIST_SPECS: dict[str, ListSpec] = {
    "武侯区": ListSpec(
        144,
        lambda c: f"WHZZ{c.seq:03d}",
        delegated=0.3,
        must=MUST,
        economic=(
            ("investment_attraction", "重点项目招商引资服务", "经济服务"),
            ("tax_assistance", "协税护税任务", "经济服务"),
        ),
        economic_code=lambda k: f"WHZZ{144 + k:03d}",
    ),
    "龙泉驿区": ListSpec(
        114,
        lambda c: f"LQ{c.major_no:02d}-{c.sub_no:02d}",
        majors=LQ_MAJORS,
        delegated=63,
        funds_share=0.6,
        must=MUST,
        departments=LQ_DEPARTMENTS,
    ),
    "邛崃市": ListSpec(
        107,
        lambda c: f"QL-{c.seq:03d}",
        delegated=0.25,
        must=MUST,
        economic=(
            ("business_environment", "协税护税任务落实", "惠企服务"),
            ("economic_development", "招商引资项目落地", "经济服务"),
        ),
        economic_code=lambda k: f"QL-{107 + k:03d}",
    ),
    "彭州市": ListSpec(
        117,
        lambda c: f"PZ-{'ABCDE'[c.function_no - 1]}{c.fn_seq:02d}",
        delegated=0.35,
        must=MUST,
        economic=(
            ("economic_development", "招商引资项目落地", "经济服务"),
            ("tax_assistance", "税收任务分解落实", "经济服务"),
        ),
        economic_code=lambda k: f"PZ-J{k:02d}",
    ),
}


def _lq_new(template: Item, n: int) -> str:
    return f"{template.code.split('-')[0]}-{20 + n:02d}"


ADJUSTMENTS: dict[str, Adjustment] = {
    "武侯区": Adjustment(4, 3, 12, 1, lambda t, n: f"WHZZ{146 + n:03d}"),
    "龙泉驿区": Adjustment(5, 2, 10, 2, _lq_new),
    "邛崃市": Adjustment(3, 4, 8, 1, lambda t, n: f"QL-{109 + n:03d}"),
    "彭州市": Adjustment(4, 2, 10, 2, lambda t, n: f"PZ-{t.code[3]}{50 + n:02d}"),
}

# (list type, size, code) of the side lists each district publishes.
SIDE_LISTS: dict[str, tuple[tuple[str, int, object], ...]] = {
    "武侯区": (("service", 22, lambda n: f"WHFW{n:03d}"), ("enforcement", 16, lambda n: f"WHZF{n:03d}")),
    "龙泉驿区": (("service", 18, lambda n: f"LQFW-{n:02d}"), ("enforcement", 14, lambda n: f"LQZF-{n:02d}")),
    "邛崃市": (("service", 20, lambda n: f"QL-FW{n:03d}"),),
    "彭州市": (("enforcement", 12, lambda n: f"PZ-ZF{n:02d}"),),
}

LIST_STYLES: dict[str, ListStyle] = {
    "武侯区": ListStyle(
        labels="full", meta="line", sheet_year=True, messy=("标题行", "区(市)县/年度 写在标题行", "工作表名带年份")
    ),
    "龙泉驿区": ListStyle(
        labels="short",
        single_sheet=True,
        meta="cells",
        fn_form=1,
        yesno="check",
        seq=False,
        blank_between=True,
        year_text="{year}",
        messy=("单表 三张清单 + 清单类别列", "名称与值分两格", "简称表头", "√/×", "职能简称", "空行分块"),
    ),
    "邛崃市": ListStyle(labels="alt", meta="columns", yesno="yn", messy=("区县/年度为列", "别名表头", "Y/N")),
    "彭州市": ListStyle(
        labels="full", meta="line", fn_form=1, weight=False, delegation=("source",), messy=("无权重列", "职能简称")
    ),
}

# Wuhou's streets each fill their 2019 reports their own way.
W1 = ReportStyle(
    "W1",
    period_fmt="cn",
    header="spaced",
    pct="number",
    footers=("signers",),
    messy=(
        "合并标题行",
        "填报单位：…    报告期：2019年第二季度",
        "表头含空格/换行 完成率\\n(%)",
        "完成率写作 85",
        "填表人/审核人",
    ),
)
W2 = ReportStyle(
    "W2",
    meta_form="cells",
    period_fmt="dash",
    street_fmt="short",
    header="two_row",
    pct="formatted",
    yesno="check",
    footers=("total", "signers"),
    perf_sheet="2019年履职情况表",
    service_sheet="便民服务情况",
    messy=(
        "名称与值分两格",
        "两行表头 完成情况 合并",
        "百分比格式数字",
        "√/×",
        "2019-Q2",
        "街道简称",
        "合计行",
        "表名带年份",
    ),
)
W3 = ReportStyle(
    "W3",
    title=None,
    street_in="column",
    period_in="column",
    street_fmt="office",
    header="fullwidth",
    pct="text",
    yesno="yn",
    footers=("note",),
    synthetic="footer",
    unlisted_sheet=None,
    messy=(
        "街道/报告期为列",
        "全角表头 完成率（％）",
        "85% 文本",
        "Y/N",
        "街道办事处全称",
        "注：脚注",
        "缺清单外事项表",
    ),
)
W4 = ReportStyle(
    "W4",
    period_fmt="month",
    seq=True,
    blank_between=True,
    values="completion",
    pct="fraction",
    report_date=True,
    footers=("signers", "note"),
    messy=("2019年6月", "序号列", "职能之间空行", "完成率写作 0.85", "填报日期行", "填表人/注"),
)
W5 = ReportStyle(
    "W5",
    period_fmt="cn_short",
    street_fmt="gov",
    header="short",
    pct="fullwidth",
    service_sheet=None,
    footers=("signers",),
    messy=("2019年二季度", "完成比例 等简称表头", "全角 ８５％", "缺便民服务表", "街道办事处"),
)
W6 = ReportStyle(
    "W6",
    district_meta=True,
    pct="mixed",
    dates="mixed",
    blank_between=True,
    footers=("total", "signers", "note"),
    messy=("区(市)县 标题行", "同列混用 85%/85/0.85", "日期格式混用", "空行", "合计/填表人/注"),
)
WUHOU_2019 = (W1, W2, W3, W4, W5, W6)

WUHOU_2020 = ReportStyle(
    "WC",
    title="{district}街道履职情况季度汇总表",
    street_in="column",
    meta_form="cells",
    period_fmt="cn",
    street_fmt="mixed",
    pct="formatted",
    seq=True,
    footers=("total", "signers"),
    messy=("汇总表", "名称与值分两格", "街道名称带/不带后缀混用", "百分比格式数字", "合计/填表人"),
)
LONGQUANYI = ReportStyle(
    "LC",
    title="{district}街道（镇）履职情况季度汇总表",
    street_in="column",
    period_fmt="cn",
    street_fmt="short",
    header="two_row",
    pct="number",
    yesno="check",
    dates="cn",
    blank_between=True,
    footers=("total", "signers"),
    perf_sheet="履职情况汇总",
    service_sheet="便民服务统计",
    unlisted_sheet="清单外事项登记",
    messy=("汇总表", "两行表头", "街道简称", "85 写作数字", "√/×", "街道之间空行", "2019年8月2日", "合计/填表人"),
)
QIONGLAI = ReportStyle(
    "QC",
    title=None,
    street_in="column",
    period_in="column",
    period_fmt="dash",
    pct="fraction",
    yesno="yn",
    dates="iso",
    synthetic="footer",
    messy=("汇总表", "无标题行（近似模板）", "2019-Q2", "0.85", "Y/N"),
)
P1 = ReportStyle("P1", pct="formatted", footers=("signers",), messy=("标题行", "百分比格式数字", "填表人"))
P2 = ReportStyle(
    "P2",
    meta_form="cells",
    period_fmt="cn_short",
    street_fmt="office",
    values="status",
    yesno="check",
    footers=("signers", "note"),
    perf_sheet="履职情况表",
    messy=("名称与值分两格", "2019年二季度", "镇人民政府", "只填完成状态", "√/×", "填表人/注"),
)
P3 = ReportStyle(
    "P3",
    period_fmt="month",
    street_fmt="short",
    values="completion",
    pct="fullwidth",
    footers=("note",),
    messy=("2019年6月", "镇简称", "全角 ８５％", "注：脚注"),
)
PENGZHOU = {"天彭街道": P1, "军乐镇": P2, "白鹿镇": P2, "三界镇": P2, "丹景山镇": P3}


def wuhou_style(index: int, period: str) -> ReportStyle:
    """The style of the index-th Wuhou street for a 2019 period (sheet names carry the year)."""
    style = WUHOU_2019[index % len(WUHOU_2019)]
    if style.perf_sheet.startswith("2019"):
        style = replace(style, perf_sheet=f"{period[:4]}年履职情况表")
    return style


# Report rows with codes that are not on the list (economic tasks some streets still report).
LQ_EXTRA_ROWS = (
    ("LQ-JJ01", "招商引资项目落地", "investment_attraction"),
    ("LQ-JJ02", "协税护税任务", "tax_assistance"),
)
LQ_OTHER_ROW = ("LQ-QT01", "创建全国文明城区迎检", "comprehensive_management")

FUNDS_WAN = {  # 下放经费 of a delegated item with funds, 万元 (low, high): issue 15's 事权财权匹配
    "武侯区": (8.0, 60.0),
    "龙泉驿区": (5.0, 40.0),
    "邛崃市": (3.0, 25.0),
    "彭州市": (3.0, 20.0),
}
UNLISTED_RATES = {  # (tasks per street and quarter in 2019, in 2020, share approved, share funded)
    "武侯区": (0.6, 0.4, 0.8, 0.7),
    "龙泉驿区": (5.0, 3.5, 0.3, 0.25),
    "邛崃市": (0.5, 0.4, 0.85, 0.7),
    "彭州市": (0.8, 0.6, 0.7, 0.5),
}
SERVICE_SHARES = {  # (online share, no-visit share)
    "武侯区": (0.45, 0.06),
    "龙泉驿区": (0.4, 0.05),
    "邛崃市": (0.66, 0.2),
    "彭州市": (0.35, 0.05),
}
