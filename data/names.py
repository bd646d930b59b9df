"""Chinese name pools for the synthetic data: functions, major items, duty items, services, tasks, departments."""

from __future__ import annotations

# Five functions (五大职能): key → (full form, short form).
FUNCTIONS: dict[str, tuple[str, str]] = {
    "community_development": ("统筹社区发展", "社区发展"),
    "public_services": ("组织公共服务", "公共服务"),
    "comprehensive_management": ("实施综合管理", "综合管理"),
    "business_environment": ("优化营商环境", "营商环境"),
    "community_safety": ("维护社区平安", "社区平安"),
}
ECONOMIC: dict[str, str] = {
    "investment_attraction": "招商引资",
    "tax_assistance": "协税护税",
    "economic_development": "经济发展",
}

# function → major item (大项) → (office, sub-item names). Names avoid the removed-indicator words
# (招商, 引资, 协税, 护税, 税收任务) on purpose: only the planted economic items carry them.
DUTIES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "community_development": {
        "基层党建": (
            "党群办公室",
            (
                "社区党组织建设指导",
                "党员发展与教育管理",
                "党建引领小区治理",
                "两新组织党建覆盖",
                "党群服务中心运行管理",
                "基层党建述职评议",
                "党员志愿服务队建设",
                "区域化党建联席会议",
            ),
        ),
        "社区营造": (
            "社区发展办公室",
            (
                "社区营造项目实施",
                "社区微更新项目组织",
                "院落自治组织建设",
                "社区发展治理项目评审",
                "居民议事会运行指导",
                "社区公约修订指导",
                "社区邻里节活动组织",
                "小区物业服务监督",
            ),
        ),
        "社会组织培育": (
            "社区发展办公室",
            (
                "社会组织孵化培育",
                "社区社会组织备案管理",
                "政府购买服务项目监管",
                "社工人才队伍建设",
                "社区基金运行指导",
                "志愿服务组织登记指导",
                "社区保障资金使用监管",
            ),
        ),
        "社区规划建设": (
            "社区发展办公室",
            (
                "社区规划编制参与",
                "老旧院落改造组织",
                "社区综合体建设推进",
                "公共空间微改造",
                "背街小巷整治提升",
                "社区绿道建设配合",
                "社区公共设施维护",
            ),
        ),
        "社区文化": (
            "党群办公室",
            (
                "社区文化活动组织",
                "天府文化进社区",
                "全民阅读推广",
                "社区教育办学",
                "文明创建宣传",
                "家风家训宣传教育",
                "群众体育活动组织",
            ),
        ),
    },
    "public_services": {
        "社会保障": (
            "民生服务办公室",
            (
                "城乡居民养老保险参保登记",
                "城乡居民医疗保险参保缴费",
                "最低生活保障对象审核",
                "特困人员供养审核",
                "临时救助申请受理",
                "残疾人两项补贴审核",
                "高龄津贴发放审核",
                "退役军人服务保障",
            ),
        ),
        "就业创业": (
            "民生服务办公室",
            (
                "就业困难人员认定",
                "公益性岗位开发管理",
                "创业担保贷款申请初审",
                "就业技能培训组织",
                "劳动保障监察协查",
                "农民工工资支付矛盾排查",
                "高校毕业生就业服务",
            ),
        ),
        "养老服务": (
            "民生服务办公室",
            (
                "居家养老服务组织",
                "日间照料中心运营监管",
                "老年助餐服务推进",
                "特殊困难老人探访关爱",
                "养老服务补贴审核",
                "老年人优待证办理",
            ),
        ),
        "卫生健康": (
            "民生服务办公室",
            (
                "基本公共卫生服务协调",
                "爱国卫生运动组织",
                "计划生育服务管理",
                "家庭医生签约推进",
                "重大传染病防控配合",
                "健康教育宣传",
                "无偿献血组织动员",
            ),
        ),
        "便民服务": (
            "便民服务中心",
            (
                "便民服务中心窗口管理",
                "政务服务事项就近办理",
                "自助终端布设管理",
                "一次办结事项梳理",
                "网上办理推广",
                "帮办代办服务",
                "马上办事项清单落实",
            ),
        ),
    },
    "comprehensive_management": {
        "城市管理": (
            "社区治理办公室",
            (
                "市容环境卫生管理",
                "占道经营整治",
                "户外广告招牌规范",
                "共享单车停放秩序管理",
                "门前三包责任落实",
                "违法建设巡查",
                "建筑工地文明施工监督",
                "第四次全国经济普查配合",
            ),
        ),
        "生态环境": (
            "社区治理办公室",
            (
                "大气污染防治网格巡查",
                "河长制工作落实",
                "餐饮油烟治理巡查",
                "生活垃圾分类推进",
                "秸秆禁烧巡查",
                "噪声扰民投诉处置",
                "黑臭水体治理配合",
            ),
        ),
        "综合执法": (
            "综合执法队",
            (
                "综合执法队伍管理",
                "行政执法案件办理",
                "执法全过程记录",
                "联合执法行动组织",
                "执法投诉处理",
                "行政处罚信息公示",
            ),
        ),
        "网格化管理": (
            "社区治理办公室",
            (
                "网格员队伍管理",
                "网格事件发现上报",
                "网格事件分流处置",
                "数字城管案件办结",
                "12345热线诉求办理",
                "基础信息采集更新",
            ),
        ),
        "农业农村": (
            "乡村振兴办公室",
            (
                "耕地保护巡查",
                "农村人居环境整治",
                "高标准农田建设配合",
                "农业防灾减灾",
                "集体经济组织指导",
                "乡村振兴项目推进",
                "农村土地承包纠纷调处",
            ),
        ),
    },
    "business_environment": {
        "政务服务": (
            "便民服务中心",
            (
                "企业开办帮办代办",
                "涉企事项一窗受理",
                "企业诉求收集办理",
                "营商环境投诉处理",
                "涉企政策宣传解读",
                "工程建设项目审批帮办",
            ),
        ),
        "市场秩序": (
            "综合办公室",
            (
                "个体工商户登记服务指导",
                "市场主体信息核查配合",
                "无证无照经营排查",
                "食品安全协管",
                "商事纠纷调解",
                "消费维权投诉受理",
            ),
        ),
        "惠企服务": (
            "综合办公室",
            (
                "减税降费政策宣传",
                "稳岗补贴政策宣传",
                "小微企业服务对接",
                "楼宇企业走访服务",
                "企业服务专员联系制度落实",
                "惠企政策兑现协助",
            ),
        ),
        "产业社区": (
            "城乡治理办公室",
            (
                "产业社区配套服务",
                "商圈环境提升",
                "夜间经济街区管理",
                "特色街区运营服务",
                "人才安居服务对接",
            ),
        ),
        "信用建设": (
            "综合办公室",
            (
                "社会信用体系宣传",
                "失信行为信息报送",
                "守信激励措施落实",
                "信用承诺制推行",
                "企业信用修复指导",
            ),
        ),
    },
    "community_safety": {
        "安全生产": (
            "社区治理办公室",
            (
                "安全生产网格化监管",
                "小微场所消防安全检查",
                "燃气使用安全排查",
                "危险化学品隐患排查",
                "有限空间作业安全检查",
                "电动自行车充电安全管理",
                "高层建筑消防安全巡查",
            ),
        ),
        "应急管理": (
            "社区治理办公室",
            (
                "应急预案编制演练",
                "应急物资储备管理",
                "地质灾害隐患点巡查",
                "防汛抗旱值守",
                "微型消防站建设",
                "应急避难场所维护",
            ),
        ),
        "社会治安": (
            "社区治理办公室",
            (
                "群防群治队伍建设",
                "治安巡逻组织",
                "重点人员服务管理",
                "禁毒宣传教育",
                "反电信网络诈骗宣传",
                "校园周边治安整治",
            ),
        ),
        "矛盾调解": (
            "社区治理办公室",
            (
                "矛盾纠纷排查化解",
                "人民调解委员会建设",
                "信访事项办理",
                "诉源治理",
                "法律顾问进社区",
                "重大决策社会稳定风险评估",
            ),
        ),
        "平安建设": (
            "社区治理办公室",
            (
                "平安社区创建",
                "雪亮工程视频监控运维",
                "流动人口居住登记",
                "出租房屋安全管理",
                "特殊人群关爱帮扶",
                "道路交通安全劝导",
            ),
        ),
    },
}

# Items that appear in the 2020 lists only (the 2020 adjustment added epidemic and recovery work).
NEW_2020: dict[str, tuple[str, str, str]] = {
    "新冠肺炎疫情社区防控": ("community_safety", "应急管理", "社区治理办公室"),
    "返蓉人员排查登记": ("community_safety", "应急管理", "社区治理办公室"),
    "复工复产企业服务": ("business_environment", "惠企服务", "综合办公室"),
    "常态化疫情防控宣传": ("public_services", "卫生健康", "民生服务办公室"),
    "小店经济扶持服务": ("business_environment", "产业社区", "城乡治理办公室"),
    "居民健康码使用帮办": ("public_services", "便民服务", "便民服务中心"),
    "社区消费券发放协助": ("business_environment", "惠企服务", "综合办公室"),
    "防返贫动态监测": ("public_services", "社会保障", "民生服务办公室"),
}

# Economic items some 2019 lists still carried (the reform removed them from evaluation).
ECONOMIC_ITEMS: tuple[tuple[str, str], ...] = (
    ("investment_attraction", "重点项目招商引资服务"),
    ("tax_assistance", "协税护税任务"),
    ("economic_development", "招商引资项目落地"),
    ("economic_development", "规模以上工业企业培育"),
)

SERVICES: tuple[tuple[str, str], ...] = (
    ("public_services", "城乡居民基本养老保险参保登记"),
    ("public_services", "城乡居民基本医疗保险参保登记"),
    ("public_services", "最低生活保障申请受理"),
    ("public_services", "临时救助申请受理"),
    ("public_services", "残疾人证办理申请受理"),
    ("public_services", "高龄津贴申请"),
    ("public_services", "老年人优待证办理"),
    ("public_services", "就业失业登记"),
    ("public_services", "灵活就业人员社保补贴申请"),
    ("public_services", "生育登记服务"),
    ("public_services", "流动人口居住登记"),
    ("public_services", "居住证申领受理"),
    ("public_services", "退役军人优待证申领"),
    ("public_services", "殡葬补贴申请"),
    ("public_services", "特困人员供养申请受理"),
    ("public_services", "医疗救助申请受理"),
    ("public_services", "孤儿基本生活费申请"),
    ("public_services", "城乡居民医保异地就医备案"),
    ("business_environment", "个体工商户设立登记帮办"),
    ("business_environment", "企业开办一窗通办"),
    ("business_environment", "食品经营许可证申请帮办"),
    ("business_environment", "小餐饮备案"),
    ("community_safety", "法律援助申请受理"),
    ("community_safety", "人民调解申请受理"),
)

ENFORCEMENT: tuple[tuple[str, str], ...] = (
    ("comprehensive_management", "占道经营行为查处"),
    ("comprehensive_management", "违法建设查处"),
    ("comprehensive_management", "户外广告违规设置查处"),
    ("comprehensive_management", "餐饮油烟超标排放查处"),
    ("comprehensive_management", "建筑垃圾违规处置查处"),
    ("comprehensive_management", "乱贴乱画乱挂查处"),
    ("comprehensive_management", "露天焚烧查处"),
    ("comprehensive_management", "违规饲养家禽家畜查处"),
    ("comprehensive_management", "施工噪声扰民查处"),
    ("comprehensive_management", "擅自占用挖掘城市道路查处"),
    ("comprehensive_management", "生活垃圾分类违规行为查处"),
    ("comprehensive_management", "非法占用耕地行为制止"),
    ("community_safety", "燃气安全违规行为查处"),
    ("community_safety", "消防通道占用查处"),
    ("community_safety", "生产经营单位安全隐患责令整改"),
    ("community_safety", "出租房屋安全隐患责令整改"),
    ("community_safety", "非法营运行为劝导"),
    ("community_safety", "电动自行车违规充电查处"),
)

# Tasks departments push onto streets outside the lists (清单外事项).
UNLISTED_TASKS: tuple[str, ...] = (
    "配合开展专项检查入户",
    "协助入户调查统计",
    "迎检台账资料整理",
    "代收企业统计报表",
    "城市管理临时整治任务",
    "协助征地拆迁入户摸底",
    "代为发放宣传资料",
    "配合开展问卷调查",
    "协助开展项目现场核查",
    "代为组织培训会议",
    "协助清理违规广告",
    "配合部门开展暗访",
    "代录业务系统数据",
    "协助排查企业名录",
    "临时抽调人员值守",
    "配合开展文明城市测评",
)

DEPARTMENTS: tuple[str, ...] = (
    "民政局",
    "人社局",
    "卫健局",
    "住建局",
    "城管局",
    "生态环境局",
    "应急管理局",
    "市场监管局",
    "司法局",
    "公安分局",
    "农业农村局",
    "文广旅局",
    "医保局",
    "退役军人事务局",
    "行政审批局",
    "统计局",
    "教育局",
)

# People named in 填表人/审核人 footers (invented).
PEOPLE: tuple[str, ...] = ("王丽", "陈建国", "李娟", "张伟", "刘洋", "杨静", "赵敏", "黄磊", "周婷", "吴强")

EVIDENCE: tuple[str, ...] = ("工作台账", "照片及签到表", "会议纪要", "系统截图", "检查记录", "台账、照片", "")

# Syllables for invented street names in the city-scale benchmark data.
PLACE_FIRST = "东西南北金银玉桂龙凤青白红黄安平永兴福寿和新华春桃李柳松竹梅兰清泉石花锦文"
PLACE_SECOND = "林桥溪湖江河坝山坪场镇堰门街塘湾岭亭田园台苑城港寺庙"

SYNTHETIC_NOTE = "示例数据（合成） Synthetic sample data — 非真实数据"
