"""Business vocabulary: company names, industries, channels, owners, lifecycle, tags, products, messages."""

from __future__ import annotations

# Two-character company brands with their pinyin (金诚 and 锦程 share one on purpose).
BRANDS: tuple[tuple[str, str], ...] = (
    ("华信", "huaxin"),
    ("恒达", "hengda"),
    ("鼎盛", "dingsheng"),
    ("瑞丰", "ruifeng"),
    ("金桥", "jinqiao"),
    ("宏远", "hongyuan"),
    ("天成", "tiancheng"),
    ("博雅", "boya"),
    ("中科", "zhongke"),
    ("新锐", "xinrui"),
    ("海纳", "haina"),
    ("远航", "yuanhang"),
    ("蓝海", "lanhai"),
    ("星辰", "xingchen"),
    ("云帆", "yunfan"),
    ("嘉和", "jiahe"),
    ("永泰", "yongtai"),
    ("润达", "runda"),
    ("汇通", "huitong"),
    ("长青", "changqing"),
    ("华盛", "huasheng"),
    ("百川", "baichuan"),
    ("致远", "zhiyuan"),
    ("明德", "mingde"),
    ("启航", "qihang"),
    ("优品", "youpin"),
    ("安捷", "anjie"),
    ("凯盛", "kaisheng"),
    ("德润", "derun"),
    ("君和", "junhe"),
    ("泰和", "taihe"),
    ("锦程", "jincheng"),
    ("金诚", "jincheng"),
    ("鸿运", "hongyun"),
    ("融通", "rongtong"),
    ("正源", "zhengyuan"),
    ("和信", "hexin"),
    ("通达", "tongda"),
    ("华岳", "huayue"),
    ("易达", "yida"),
    ("卓越", "zhuoyue"),
    ("精工", "jinggong"),
    ("领航", "linghang"),
    ("青松", "qingsong"),
    ("睿思", "ruisi"),
    ("聚源", "juyuan"),
    ("天元", "tianyuan"),
    ("盛达", "shengda"),
    ("佳美", "jiamei"),
    ("鑫源", "xinyuan"),
    ("银河", "yinhe"),
    ("昊天", "haotian"),
    ("宝丰", "baofeng"),
    ("中远", "zhongyuan"),
    ("新华", "xinhua"),
)

# (sector word, English, industry)
SECTORS: tuple[tuple[str, str, str], ...] = (
    ("科技", "Technology", "互联网"),
    ("网络科技", "Network Technology", "互联网"),
    ("信息技术", "Information Technology", "信息技术"),
    ("软件", "Software", "信息技术"),
    ("电子", "Electronics", "制造业"),
    ("机械", "Machinery", "制造业"),
    ("精密制造", "Precision Manufacturing", "制造业"),
    ("新材料", "New Materials", "制造业"),
    ("汽车零部件", "Auto Parts", "制造业"),
    ("贸易", "Trading", "零售"),
    ("商贸", "Commerce", "零售"),
    ("服饰", "Apparel", "零售"),
    ("食品", "Foods", "零售"),
    ("教育科技", "Education Technology", "教育"),
    ("教育咨询", "Education Consulting", "教育"),
    ("医疗器械", "Medical Devices", "医疗"),
    ("医药", "Pharmaceutical", "医疗"),
    ("健康管理", "Health Management", "医疗"),
    ("物流", "Logistics", "物流"),
    ("供应链管理", "Supply Chain Management", "物流"),
    ("国际货运代理", "International Freight Forwarding", "物流"),
    ("投资管理", "Investment Management", "金融"),
    ("融资租赁", "Financial Leasing", "金融"),
    ("保险代理", "Insurance Agency", "金融"),
    ("文化传媒", "Culture Media", "文化传媒"),
    ("广告", "Advertising", "文化传媒"),
    ("建筑工程", "Construction Engineering", "建筑"),
    ("建材", "Building Materials", "建筑"),
    ("餐饮管理", "Catering Management", "餐饮"),
    ("环保科技", "Environmental Technology", "环保"),
    ("能源", "Energy", "能源"),
    ("企业管理咨询", "Management Consulting", "咨询服务"),
)

# Spellings of an industry that people type instead of the canonical one.
INDUSTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "制造业": ("制造", "Manufacturing", "生产制造"),
    "互联网": ("IT互联网", "Internet", "互联网/IT"),
    "信息技术": ("IT", "IT服务", "软件和信息技术服务业"),
    "零售": ("零售业", "批发零售", "Retail"),
    "教育": ("教育培训", "Education"),
    "医疗": ("医疗健康", "医药医疗", "Healthcare"),
    "物流": ("物流运输", "交通物流", "Logistics"),
    "金融": ("金融服务", "Finance"),
}

CHANNELS: tuple[str, ...] = ("官网", "展会", "电话营销", "线上广告", "转介绍", "门店")
CHANNEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "官网": ("官方网站", "网站"),
    "展会": ("2024春季展会", "行业展会"),
    "电话营销": ("电销", "陌拜电话"),
    "线上广告": ("百度推广", "抖音广告"),
    "转介绍": ("朋友推荐", "老客户推荐"),
    "门店": ("线下门店",),
}

# Sales owners by region (several owners per region, as assigned by region + industry rules).
OWNERS: dict[str, tuple[str, ...]] = {
    "华北": ("赵国栋", "孙悦"),
    "华东": ("周晓明", "吴丽娟", "钱浩然"),
    "华南": ("陈志强", "林佳怡"),
    "华中": ("郭俊", "何雪"),
    "西南": ("唐宇", "罗敏"),
    "西北": ("冯涛",),
    "东北": ("冯涛",),
    "海外": ("Alice Wang",),
}

LIFECYCLES: tuple[tuple[str, int], ...] = (("潜在", 30), ("成交", 45), ("沉默", 15), ("流失", 10))
LIFECYCLE_VARIANTS: dict[str, tuple[str, ...]] = {
    "潜在": ("潜在客户", "意向客户"),
    "成交": ("已成交", "成交客户"),
    "沉默": ("沉默客户", "休眠"),
    "流失": ("已流失", "流失客户"),
}
TAGS_BY_LIFECYCLE: dict[str, tuple[str, ...]] = {
    "潜在": ("意向观望", "急需采购", "参加过展会", "价格敏感", "重点关注"),
    "成交": ("高价值", "复购客户", "重点关注", "决策人", "VIP", "老客户"),
    "沉默": ("近30天未互动", "价格敏感", "老客户"),
    "流失": ("流失风险", "价格敏感"),
}
NOTES: tuple[str, ...] = (
    "对产品感兴趣,要求试听",
    "预算约5万,希望下周看样",
    "仅工作日联系",
    "已发报价单",
    "需定制化解决方案",
    "决策周期较长,下季度再跟进",
    "要求开具增值税专用发票",
    "展会上交换过名片",
    "老客户推荐,优先跟进",
    "对价格比较敏感",
    "希望安排上门演示",
)

# (product, unit price in yuan, for companies)
PRODUCTS: tuple[tuple[str, int, bool], ...] = (
    ("CRM标准版(年费)", 6800, True),
    ("CRM专业版(年费)", 16800, True),
    ("企业微信集成模块", 3200, True),
    ("数据清洗服务(次)", 1500, True),
    ("年度维保服务", 4800, True),
    ("智能扫码枪 X3", 299, False),
    ("热敏标签打印机", 899, False),
    ("A4复印纸(5包/箱)", 128, False),
    ("办公椅 人体工学款", 1280, False),
    ("定制礼盒(中秋)", 268, False),
    ("线上培训课程(进阶班)", 1980, False),
    ("云存储扩容包 1TB", 360, False),
)
PAYMENTS: tuple[str, ...] = ("微信支付", "支付宝", "银行卡", "对公转账")
ORDER_STATUSES: tuple[tuple[str, int], ...] = (("已完成", 80), ("已发货", 10), ("退款中", 4), ("已取消", 6))

MESSAGES_ZH: tuple[str, ...] = (
    "想了解一下CRM专业版的价格",
    "请联系我安排产品演示",
    "我们公司大概50人,需要一份报价",
    "展会上聊过,想进一步沟通",
    "售后问题:扫码枪无法连接电脑",
    "需要开具增值税专用发票",
    "请问支持和企业微信打通吗?",
    "想咨询一下培训课程的排期",
    "之前买过标准版,想升级到专业版",
)
MESSAGES_EN: tuple[str, ...] = (
    "Interested in a demo for our office",
    "Please send me the price list",
    "Do you support integration with WeCom?",
    "We met at the trade fair, let's follow up",
    "Need an English invoice for our order",
)

PERSONAL_EMAIL_DOMAINS: tuple[tuple[str, int], ...] = (
    ("qq.com", 30),
    ("163.com", 25),
    ("126.com", 10),
    ("sina.com", 5),
    ("foxmail.com", 5),
    ("gmail.com", 5),
    ("outlook.com", 5),
    ("hotmail.com", 3),
)
EMAIL_DOMAIN_TYPOS: dict[str, str] = {
    "qq.com": "qq.con",
    "163.com": "163.con",
    "126.com": "126.cm",
    "gmail.com": "gmial.com",
    "outlook.com": "outlok.com",
    "sina.com": "sina.cn.com",
    "foxmail.com": "foxmial.com",
}
ORG_MAILBOXES: tuple[str, ...] = ("info", "sales", "contact", "service")

# Interactions (visit logs, call-center records, complaints, event sign-ups).
INTERACTION_TYPES: tuple[tuple[str, int], ...] = (
    ("拜访", 25),
    ("电话回访", 30),
    ("投诉", 10),
    ("活动签到", 20),
    ("咨询", 15),
)
INTERACTION_NOTES: dict[str, tuple[str, ...]] = {
    "拜访": ("上门演示产品,客户反馈良好", "拜访采购负责人,确认需求", "现场调研,客户关注数据安全"),
    "电话回访": ("回访使用情况,无问题", "提醒续费,客户考虑中", "确认发货地址"),
    "投诉": ("物流延迟三天", "扫码枪连接不稳定", "发票开错抬头", "客服响应太慢"),
    "活动签到": ("参加活动并领取资料", "现场扫码签到"),
    "咨询": ("咨询专业版功能", "咨询批量采购折扣", "Asked about English support"),
}
EVENTS: tuple[str, ...] = (
    "2024春季展会",
    "客户答谢会",
    "新品发布会",
    "线上直播:CRM实战",
    "华东区渠道大会",
    "2025年度峰会",
)
