"""Frequency-weighted Chinese names and places for benchmarks/generate.py.

Namesakes must come at a realistic density or they flatter the model, so names are drawn by real
frequency, not uniformly from a short list:

- surnames: about 400, weighted by their share of the population (王 7.1%, 李 7.0%, 张 6.7%, 刘 5.1%,
  陈 4.6% ...: the top 100 cover about 85%, the rest is a long tail). Shares are rounded from the
  published household-registration rankings (2019-2020); the tail is a smooth decay, not a census;
- given names: the common single-character and two-character given names with their approximate
  shares (伟 0.6% of men, so 张伟 is about 0.02% of everybody, as in the registration statistics),
  then a long tail composed from per-gender character pools with Zipf weights;
- cities: about 65, weighted by urban population.

Self-contained on purpose (no import from benchmarks/demo_data, the demo generator).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- surnames -------------------------------------------------------------------------------------

# (surname, share in percent): the top 100, rounded from the published rankings.
TOP_SURNAMES: tuple[tuple[str, float], ...] = tuple(
    (item.split(":")[0], float(item.split(":")[1]))
    for item in _words(
        "王:7.12 李:7.00 张:6.74 刘:5.10 陈:4.61 杨:3.22 黄:2.45 赵:2.19 吴:2.05 周:1.91 "
        "徐:1.48 孙:1.46 马:1.45 朱:1.29 胡:1.28 郭:1.17 何:1.13 林:1.08 罗:1.05 高:1.05 "
        "郑:0.88 梁:0.86 谢:0.80 宋:0.72 唐:0.71 许:0.67 韩:0.65 冯:0.64 邓:0.64 曹:0.62 "
        "彭:0.58 曾:0.57 肖:0.56 田:0.54 董:0.53 袁:0.51 潘:0.50 于:0.50 蒋:0.49 蔡:0.49 "
        "余:0.48 杜:0.48 叶:0.47 程:0.47 苏:0.46 魏:0.46 吕:0.45 丁:0.43 任:0.42 沈:0.41 "
        "姚:0.40 卢:0.40 姜:0.39 崔:0.38 钟:0.38 谭:0.37 陆:0.36 汪:0.35 范:0.35 金:0.34 "
        "石:0.33 廖:0.32 贾:0.32 夏:0.31 韦:0.31 付:0.30 方:0.30 白:0.29 邹:0.29 孟:0.28 "
        "熊:0.28 秦:0.27 邱:0.27 江:0.26 尹:0.26 薛:0.25 闫:0.25 段:0.24 雷:0.24 侯:0.23 "
        "龙:0.23 史:0.23 陶:0.22 黎:0.22 贺:0.22 顾:0.21 毛:0.21 郝:0.20 龚:0.20 邵:0.20 "
        "万:0.19 钱:0.19 严:0.18 覃:0.18 武:0.18 戴:0.17 莫:0.17 孔:0.17 向:0.17 汤:0.16"
    )
)

# The long tail, most common first (compound surnames last): their shares decay smoothly.
TAIL_SURNAMES: tuple[str, ...] = tuple(
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
    "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简"
    "车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑"
    "郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位"
    "厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干"
    "但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
) + ("欧阳", "司马", "上官", "诸葛", "司徒", "令狐", "皇甫", "夏侯", "慕容", "东方", "尉迟", "公孙", "长孙", "宇文")
TAIL_SHARE = 14.0  # percent of people whose surname is outside the top 100

# Surnames read differently from the character's everyday reading (pypinyin gives the latter).
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha", "盖": "ge",
    "覃": "qin", "缪": "miao", "乐": "yue", "翟": "zhai", "都": "du", "阚": "kan", "尉迟": "yuchi",
    "长孙": "zhangsun", "万": "wan", "单于": "chanyu", "秘": "bi", "员": "yun", "种": "chong",
}  # fmt: skip


def surname_weights() -> list[tuple[str, float]]:
    """Every surname with its share in percent (the tail decays as 1/rank)."""
    raw = [1.0 / (rank + 100) for rank in range(len(TAIL_SURNAMES))]
    scale = TAIL_SHARE / sum(raw)
    return [*TOP_SURNAMES, *((s, w * scale) for s, w in zip(TAIL_SURNAMES, raw, strict=True))]


# --- given names ----------------------------------------------------------------------------------

# Common given names with their share among people of that gender, in units of 0.01%.
# 伟 62 -> 0.62% of men: with 张 at 6.74%, 张伟 is 0.021% of everybody.
GIVEN_HEAD: dict[str, str] = {
    "M": (
        "伟:62 磊:40 强:40 军:38 勇:36 杰:34 涛:30 超:28 斌:26 明:26 刚:26 平:24 辉:24 鹏:22 华:22 飞:22 "
        "鑫:20 波:20 宇:20 浩:20 凯:18 健:18 俊:18 帆:16 帅:16 旭:16 宁:16 龙:16 林:14 欢:14 阳:14 亮:14 "
        "成:14 峰:14 建:12 毅:12 彬:12 刚:10 晨:10 博:10 "
        "建华:16 建国:16 建军:14 志强:14 国华:10 晓明:10 海涛:10 志明:8 建平:10 国强:10 子轩:12 浩然:10 "
        "宇轩:8 浩宇:8 梓轩:8 俊杰:8 雨轩:6 明轩:6 家豪:6 志伟:8 文杰:6 志刚:8 海波:6 伟东:6 建明:6 "
        "国庆:8 永强:6 晓东:6 小龙:6 振华:6 德华:6 文斌:6 宏伟:6 俊豪:6 博文:6 天佑:6 子豪:6 皓轩:6 "
        "建新:6 卫东:6 红军:6 志华:6 金龙:5 海军:5 春生:5 永刚:5 晓军:5 立新:5"
    ),
    "F": (
        "芳:56 娜:52 敏:50 静:50 丽:44 艳:36 燕:32 娟:30 霞:30 玲:24 丹:22 萍:22 红:22 洁:20 琳:20 婷:20 "
        "雪:18 慧:18 莉:18 倩:18 颖:16 晶:16 琴:16 梅:16 云:14 芬:14 英:14 佳:12 欣:12 悦:12 "
        "秀英:46 桂英:30 秀兰:26 玉兰:24 桂兰:20 秀珍:20 凤英:16 玉珍:14 玉英:14 兰英:12 玉梅:12 海燕:14 "
        "丽娟:12 丽华:10 红梅:10 春梅:10 晓燕:10 秀梅:10 婷婷:10 丹丹:8 晶晶:6 文静:8 欣怡:10 梓涵:10 "
        "雨涵:8 子涵:8 诗涵:8 思涵:6 佳怡:6 欣妍:6 嘉怡:6 一诺:8 雅婷:6 慧敏:6 淑珍:8 淑华:6 美玲:6 "
        "丽丽:6 小红:6 晓红:6 桂芳:6 秀云:6 玉华:6 丽萍:6 雪梅:6 海霞:6 金凤:5 春燕:5 美华:5 艳红:5"
    ),
}

# Characters the long tail of given names is composed from, most common first (Zipf weights).
GIVEN_POOL: dict[str, str] = {
    "M": (
        "伟军磊强勇杰涛斌明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳亮成峰建毅彬晨博文志国东海永振"
        "德宏天子家俊豪轩然杰新卫春金立庆兴安福贵荣生祥胜利忠世光正长明瑞睿泽铭昊霖楠锋钢诚信义仁"
        "延学武军思远航嘉乐云星骏琪晟哲凡崇承坤鸿钧朗奕炎烨煜宸翔启嵩岩松柏栋梁森"
    ),
    "F": (
        "芳娜敏静丽艳燕娟霞玲丹萍红洁琳婷雪慧莉倩颖晶琴梅云芬英佳欣悦秀桂兰玉珍凤美淑春晓雅诗思"
        "涵怡妍婉蓉菲薇莹璐露瑶琪琦彤馨月爽蕾蓓霏岚虹娇媛姗嫣钰瑾璇萱若可宁清晴冰心如意文小亚秋"
        "香翠巧素惠珊凌曼卉君姣妮茜蕊苗青"
    ),
}
SINGLE_SHARE = 0.16  # people with a one-character given name (head names included)


@dataclass(frozen=True)
class GivenNames:
    """The given-name distribution of one gender: head names with shares, and the composed tail."""

    head: tuple[tuple[str, float], ...]  # (name, probability)
    pool: tuple[str, ...]
    pool_weights: tuple[float, ...]
    single_tail: float  # probability of a composed one-character name
    double_tail: float  # probability of a composed two-character name


@functools.cache
def given_names(gender: str) -> GivenNames:
    head: dict[str, float] = {}
    for item in GIVEN_HEAD[gender].split():
        name, weight = item.split(":")
        head[name] = head.get(name, 0.0) + float(weight) / 10_000
    pool = tuple(dict.fromkeys(GIVEN_POOL[gender]))  # keep order, drop repeats
    single_head = sum(p for n, p in head.items() if len(n) == 1)
    double_head = sum(p for n, p in head.items() if len(n) == 2)
    single_tail = max(0.0, SINGLE_SHARE - single_head)
    double_tail = 1.0 - single_head - double_head - single_tail
    weights = tuple(1.0 / (rank + 3) ** 0.9 for rank in range(len(pool)))
    return GivenNames(tuple(head.items()), pool, weights, single_tail, double_tail)


# Given-name characters an input method picks for one another (张伟 typed as 张玮).
HOMOPHONES: tuple[str, ...] = (
    "伟玮炜纬", "军君钧", "磊垒", "勇永咏", "杰捷", "涛韬", "明铭鸣", "刚钢", "建健剑", "志智治", "斌彬宾",
    "浩皓昊", "鹏朋", "辉晖徽", "峰锋丰", "宇雨羽", "博波", "凯楷", "俊骏峻", "国帼", "东冬", "成诚",
    "瑞睿", "晨辰", "洋阳扬", "华骅桦", "文雯", "林琳霖", "晓小", "芳方", "静晶菁", "丽莉俐", "敏珉",
    "娟鹃", "霞侠", "平萍苹", "红虹鸿", "婷亭", "玲铃龄", "燕艳雁", "琴勤芹", "秀绣", "颖影", "欣馨新",
    "佳嘉", "怡宜仪", "慧惠", "兰岚", "云芸", "菲飞", "涵含", "思斯", "娜纳", "梅玫", "倩茜", "洁杰",
    "张章", "王汪", "刘柳", "徐许", "吴伍", "于余", "肖萧", "付傅", "姜江", "钟仲", "李黎",
)  # fmt: skip

# --- places ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    province: str  # 广东省; a municipality repeats the city: 北京市
    name: str  # 广州市
    en: str  # Guangzhou
    weight: float  # urban population, millions

    @property
    def short(self) -> str:
        return self.name.removesuffix("市")

    @property
    def province_short(self) -> str:
        for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
            if self.province.endswith(suffix):
                return self.province.removesuffix(suffix)
        return self.province

    @property
    def municipality(self) -> bool:
        return self.province == self.name


def _cities(spec: str) -> tuple[City, ...]:
    out = []
    for line in spec.strip().splitlines():
        province, name, en, weight = line.split()
        out.append(City(province, name, en, float(weight)))
    return tuple(out)


CITIES: tuple[City, ...] = _cities(
    """
    重庆市 重庆市 Chongqing 32
    上海市 上海市 Shanghai 25
    北京市 北京市 Beijing 22
    四川省 成都市 Chengdu 21
    广东省 广州市 Guangzhou 19
    广东省 深圳市 Shenzhen 18
    天津市 天津市 Tianjin 14
    陕西省 西安市 Xi'an 13
    江苏省 苏州市 Suzhou 13
    河南省 郑州市 Zhengzhou 13
    湖北省 武汉市 Wuhan 13
    浙江省 杭州市 Hangzhou 12
    河北省 石家庄市 Shijiazhuang 11
    山东省 临沂市 Linyi 11
    广东省 东莞市 Dongguan 10
    山东省 青岛市 Qingdao 10
    湖南省 长沙市 Changsha 10
    黑龙江省 哈尔滨市 Harbin 10
    浙江省 宁波市 Ningbo 9.6
    安徽省 合肥市 Hefei 9.6
    浙江省 温州市 Wenzhou 9.6
    广东省 佛山市 Foshan 9.5
    山东省 潍坊市 Weifang 9.4
    江苏省 南京市 Nanjing 9.3
    山东省 济南市 Jinan 9.2
    河北省 保定市 Baoding 9.2
    辽宁省 沈阳市 Shenyang 9.1
    吉林省 长春市 Changchun 9.1
    江苏省 徐州市 Xuzhou 9.0
    江西省 赣州市 Ganzhou 9.0
    广西壮族自治区 南宁市 Nanning 8.8
    福建省 泉州市 Quanzhou 8.8
    云南省 昆明市 Kunming 8.5
    福建省 福州市 Fuzhou 8.3
    江苏省 南通市 Nantong 7.7
    河北省 唐山市 Tangshan 7.7
    辽宁省 大连市 Dalian 7.5
    江苏省 无锡市 Wuxi 7.5
    山东省 烟台市 Yantai 7.1
    浙江省 金华市 Jinhua 7.1
    河南省 洛阳市 Luoyang 7.1
    广东省 湛江市 Zhanjiang 7.0
    浙江省 台州市 Taizhou 6.6
    江西省 南昌市 Nanchang 6.4
    贵州省 贵阳市 Guiyang 6.0
    广东省 惠州市 Huizhou 6.0
    广东省 汕头市 Shantou 5.5
    浙江省 嘉兴市 Jiaxing 5.4
    福建省 厦门市 Xiamen 5.3
    山西省 太原市 Taiyuan 5.3
    江苏省 常州市 Changzhou 5.3
    浙江省 绍兴市 Shaoxing 5.3
    湖北省 襄阳市 Xiangyang 5.3
    广西壮族自治区 桂林市 Guilin 4.9
    甘肃省 兰州市 Lanzhou 4.4
    广东省 中山市 Zhongshan 4.4
    新疆维吾尔自治区 乌鲁木齐市 Urumqi 4.1
    湖北省 宜昌市 Yichang 4.0
    内蒙古自治区 呼和浩特市 Hohhot 3.5
    海南省 海口市 Haikou 2.9
    宁夏回族自治区 银川市 Yinchuan 2.9
    青海省 西宁市 Xining 2.5
    广东省 珠海市 Zhuhai 2.4
    """
)

# --- contacts and companies -----------------------------------------------------------------------

# China mobile number blocks (phonenumbers accepts any 8 digits after them).
MOBILE_PREFIXES: tuple[str, ...] = (
    *(f"13{d}" for d in "0123456789"),
    *(f"15{d}" for d in "012356789"),
    "166", "171", "173", "175", "176", "177", "178",
    *(f"18{d}" for d in "0123456789"),
    "191", "198", "199",
)  # fmt: skip

EMAIL_DOMAINS: tuple[tuple[str, int], ...] = (
    ("qq.com", 35), ("163.com", 20), ("126.com", 8), ("sina.com", 4), ("gmail.com", 5), ("outlook.com", 5),
    ("hotmail.com", 3), ("foxmail.com", 4), ("yeah.net", 2), ("sohu.com", 2), ("139.com", 3), ("aliyun.com", 2),
)  # fmt: skip

BRANDS: tuple[str, ...] = _words(
    "华信 恒达 鼎盛 瑞丰 金桥 宏远 天成 博雅 中科 新锐 海纳 远航 蓝海 星辰 云帆 嘉和 永泰 润达 汇通 长青 "
    "华盛 百川 致远 明德 启航 优品 安捷 凯盛 德润 君和 泰和 锦程 金诚 鸿运 融通 正源 和信 通达 华岳 易达 "
    "卓越 精工 领航 青松 睿思 聚源 天元 盛达 佳美 鑫源 银河 昊天 宝丰 中远 东方 万象 新纪元 创维 同创 "
    "恒信 宏图 联合 信达 四海 大地 山河 春晖 光明 晨曦 未来 腾飞 伟业 众诚 仁和 康泰 福瑞 祥和 兴业 立信"
)
SECTORS: tuple[str, ...] = _words(
    "科技 贸易 电子 机械 建材 食品 医药 物流 信息技术 网络科技 文化传媒 餐饮管理 教育科技 投资 商贸 实业 "
    "服饰 家居 化工 环保科技 汽车服务 广告 咨询 房地产开发 电器 软件 生物科技 供应链管理 装饰工程 农业发展"
)
