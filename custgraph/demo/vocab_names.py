"""Name vocabulary: surnames with their pinyin, homophone groups of given-name characters, English names.

Pinyin is written out here instead of computed, so surnames read the way people spell them
(曾 is "Zeng", not pypinyin's "ceng") and the generator needs no converter at run time.
A test checks the given-name characters against pypinyin.
"""

from __future__ import annotations

# (surname, pinyin, weight) — weights roughly follow the frequency of the most common Chinese surnames.
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "wang", 72), ("李", "li", 72), ("张", "zhang", 68), ("刘", "liu", 53), ("陈", "chen", 46),
    ("杨", "yang", 32), ("黄", "huang", 25), ("赵", "zhao", 21), ("吴", "wu", 20), ("周", "zhou", 20),
    ("徐", "xu", 15), ("孙", "sun", 15), ("马", "ma", 14), ("朱", "zhu", 13), ("胡", "hu", 12),
    ("郭", "guo", 12), ("何", "he", 11), ("高", "gao", 10), ("林", "lin", 10), ("罗", "luo", 10),
    ("郑", "zheng", 9), ("梁", "liang", 9), ("谢", "xie", 8), ("宋", "song", 7), ("唐", "tang", 7),
    ("许", "xu", 6), ("韩", "han", 6), ("冯", "feng", 6), ("邓", "deng", 6), ("曹", "cao", 6),
    ("彭", "peng", 5), ("曾", "zeng", 5), ("肖", "xiao", 5), ("田", "tian", 5), ("董", "dong", 5),
    ("袁", "yuan", 4), ("潘", "pan", 4), ("于", "yu", 4), ("蒋", "jiang", 4), ("蔡", "cai", 4),
    ("余", "yu", 4), ("杜", "du", 4), ("叶", "ye", 4), ("程", "cheng", 4), ("苏", "su", 4),
    ("魏", "wei", 3), ("吕", "lv", 3), ("丁", "ding", 3), ("任", "ren", 3), ("沈", "shen", 3),
    ("姚", "yao", 3), ("卢", "lu", 3), ("姜", "jiang", 3), ("崔", "cui", 3), ("钟", "zhong", 3),
    ("谭", "tan", 3), ("陆", "lu", 3), ("汪", "wang", 3), ("范", "fan", 3), ("金", "jin", 3),
    ("石", "shi", 3), ("廖", "liao", 3), ("贾", "jia", 2), ("夏", "xia", 2), ("付", "fu", 2),
    ("方", "fang", 2), ("白", "bai", 2), ("邹", "zou", 2), ("孟", "meng", 2), ("熊", "xiong", 2),
    ("秦", "qin", 2), ("邱", "qiu", 2), ("江", "jiang", 2), ("尹", "yin", 2), ("薛", "xue", 2),
    ("段", "duan", 2), ("雷", "lei", 2), ("侯", "hou", 2), ("龙", "long", 2), ("史", "shi", 2),
    ("黎", "li", 1), ("顾", "gu", 1), ("毛", "mao", 1), ("郝", "hao", 1), ("龚", "gong", 1),
    ("邵", "shao", 1), ("钱", "qian", 1), ("严", "yan", 1), ("覃", "qin", 1), ("武", "wu", 1),
    ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("上官", "shangguan", 1), ("诸葛", "zhuge", 1),
    ("司徒", "situ", 1), ("慕容", "murong", 1), ("皇甫", "huangfu", 1), ("东方", "dongfang", 1),
)

# Surnames that are commonly typed for one another (same pinyin, different character).
SURNAME_HOMOPHONES: dict[str, str] = {
    "张": "章", "王": "汪", "刘": "柳", "徐": "许", "许": "徐", "吴": "伍", "于": "余", "余": "于",
    "肖": "萧", "付": "傅", "姜": "江", "江": "姜", "钟": "仲", "李": "黎", "黎": "李",
}

# Given-name characters in homophone groups: a pinyin input method typo picks another member of
# the same group (张伟 -> 张玮). Names are drawn from the characters before "|"; the ones after it
# only ever appear as typos. (group, pinyin, gender) with gender "M", "F" or "" for either.
GIVEN_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("伟玮|炜纬", "wei", "M"), ("军君|钧", "jun", "M"), ("磊|垒", "lei", "M"), ("勇永|咏", "yong", "M"),
    ("杰|捷", "jie", "M"), ("涛|韬", "tao", "M"), ("明铭|鸣", "ming", ""), ("刚|钢", "gang", "M"),
    ("建健|剑", "jian", "M"), ("志智|治", "zhi", "M"), ("斌彬|宾", "bin", "M"), ("浩皓|昊", "hao", "M"),
    ("鹏|朋", "peng", "M"), ("辉|晖徽", "hui", "M"), ("峰锋|丰枫", "feng", "M"), ("强|蔷", "qiang", "M"),
    ("宇|雨羽", "yu", ""), ("博|波", "bo", "M"), ("凯|楷", "kai", "M"), ("俊|骏峻", "jun", "M"),
    ("国|帼", "guo", "M"), ("东|冬", "dong", "M"), ("海|", "hai", "M"), ("成|诚", "cheng", "M"),
    ("鑫|", "xin", "M"), ("瑞|睿", "rui", ""), ("晨|辰", "chen", ""), ("洋|阳扬", "yang", ""),
    ("华|骅桦", "hua", ""), ("文|雯闻", "wen", ""), ("林琳|霖", "lin", ""), ("晓|小", "xiao", ""),
    ("芳|方舫", "fang", "F"), ("静|晶菁", "jing", "F"), ("丽莉|俐", "li", "F"), ("敏|珉", "min", "F"),
    ("娟|鹃", "juan", "F"), ("霞|侠", "xia", "F"), ("平萍|苹", "ping", "F"), ("红|虹鸿", "hong", "F"),
    ("婷|亭", "ting", "F"), ("玲|铃龄", "ling", "F"), ("燕艳|雁", "yan", "F"), ("琴|勤芹", "qin", "F"),
    ("秀|绣", "xiu", "F"), ("颖|影", "ying", "F"), ("欣|馨新", "xin", "F"), ("佳|嘉", "jia", "F"),
    ("怡|宜仪", "yi", "F"), ("雪|", "xue", "F"), ("慧|惠", "hui", "F"), ("兰|岚", "lan", "F"),
    ("云|芸", "yun", "F"), ("菲|飞", "fei", "F"), ("涵|含", "han", "F"), ("思|斯", "si", "F"),
    ("娜|纳", "na", "F"), ("梅|玫", "mei", "F"), ("倩|茜", "qian", "F"), ("洁|杰", "jie", "F"),
)

# Very common full names: several different customers carry each of them (the name-only-match trap).
# (surname, given, gender)
COMMON_NAMES: tuple[tuple[str, str, str], ...] = (
    ("张", "伟", "M"), ("王", "芳", "F"), ("李", "娜", "F"), ("王", "伟", "M"), ("刘", "洋", "M"),
    ("李", "静", "F"), ("张", "敏", "F"), ("王", "磊", "M"), ("李", "强", "M"), ("张", "丽", "F"),
)

ENGLISH_FIRST: tuple[tuple[str, str], ...] = (
    ("James", "M"), ("John", "M"), ("Michael", "M"), ("David", "M"), ("Daniel", "M"), ("Kevin", "M"),
    ("Jason", "M"), ("Peter", "M"), ("Mark", "M"), ("Andrew", "M"), ("Thomas", "M"), ("Lucas", "M"),
    ("Emily", "F"), ("Sarah", "F"), ("Jessica", "F"), ("Linda", "F"), ("Emma", "F"), ("Olivia", "F"),
    ("Sophie", "F"), ("Grace", "F"), ("Anna", "F"), ("Lucy", "F"), ("Rachel", "F"), ("Laura", "F"),
)
ENGLISH_LAST: tuple[str, ...] = (
    "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Anderson", "Martin", "Walker",
    "Wright", "Green", "Baker", "Müller", "Schmidt", "Dubois", "Rossi", "Tanaka", "Kim", "Nguyen",
    "Tan", "Lim", "Wong", "O'Brien", "García",
)

# English nicknames Chinese customers use in English-language channels (Emily for 陈美玲).
ALIAS_FIRST: dict[str, tuple[str, ...]] = {
    "M": ("Jack", "Tony", "Kevin", "Eric", "Leo", "Frank", "Allen", "Steven"),
    "F": ("Emily", "Cathy", "Vivian", "Amy", "Coco", "Iris", "Cindy", "Sharon"),
}
