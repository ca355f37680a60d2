"""Company names (custgraph.matching.standardize.companies)."""

import pytest

from custgraph.matching.standardize import (
    company_core_without_region,
    company_key,
    normalize_company,
    split_company,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("阿里巴巴（中国）有限公司", "阿里巴巴(中国)有限公司"),
        ("阿里巴巴 (中国) 有限公司", "阿里巴巴(中国)有限公司"),
        ("華為技術有限公司", "华为技术有限公司"),
        ("【测试】科技有限公司", "(测试)科技有限公司"),
        ("Acme  Trading Co., Ltd.", "Acme Trading Co., Ltd."),
        ("ＡＣＭＥ　Ｌｔｄ", "ACME Ltd"),
        (None, None),
        ("待补充", None),
    ],
)
def test_normalize_company(raw: object, expected: str | None) -> None:
    assert normalize_company(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("深圳市腾讯计算机系统有限公司", ("深圳市腾讯计算机系统", "有限公司")),
        ("中国石油天然气股份有限公司", ("中国石油天然气", "股份有限公司")),
        ("北京xx科技有限责任公司", ("北京xx科技", "有限责任公司")),
        ("海尔集团有限公司", ("海尔集团", "有限公司")),  # 集团 stays in the core
        ("海尔集团公司", ("海尔集团", "公司")),
        ("中国平安保险股份有限公司深圳分公司", ("中国平安保险深圳分公司", "股份有限公司")),
        ("中国工商银行股份有限公司北京分行", ("中国工商银行北京分行", "股份有限公司")),
        ("平安保险深圳分公司", ("平安保险深圳分公司", None)),  # 公司 of 分公司 is not a legal form
        ("华为技术有限公司（深圳）", ("华为技术(深圳)", "有限公司")),
        ("xx投资合伙企业(有限合伙)", ("xx投资", "合伙企业(有限合伙)")),
        ("有限公司", ("有限公司", None)),  # nothing would remain
        ("Acme Trading Co., Ltd.", ("Acme Trading", "Co., Ltd.")),
        ("ACME TRADING CO LTD", ("ACME TRADING", "CO LTD")),
        ("Acme Trading Co.,Ltd", ("Acme Trading", "Co.,Ltd")),
        ("Acme Company Limited", ("Acme", "Company Limited")),
        ("Foo Inc.", ("Foo", "Inc.")),
        ("Foo Corp", ("Foo", "Corp")),
        ("Foo Corporation", ("Foo", "Corporation")),
        ("Foo L.L.C.", ("Foo", "L.L.C.")),
        ("Foo LLC", ("Foo", "LLC")),
        ("Siemens AG", ("Siemens", "AG")),
        ("Bosch GmbH", ("Bosch", "GmbH")),
        ("Tesco PLC", ("Tesco", "PLC")),
        ("Acme Pty Ltd", ("Acme", "Pty Ltd")),
        ("Acme Co., Ltd. (China)", ("Acme (China)", "Co., Ltd.")),
        ("华为Co.,Ltd", ("华为", "Co.,Ltd")),
        ("Tecorp", ("Tecorp", None)),  # "corp" only as a whole word
        ("Company", ("Company", None)),
        ("Day Spa", ("Day Spa", None)),
        (None, ("", None)),
    ],
)
def test_split_company(raw: object, expected: tuple[str, str | None]) -> None:
    assert split_company(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("阿里巴巴（中国）有限公司", "阿里巴巴"),
        ("阿里巴巴(中国)网络技术有限公司", "阿里巴巴网络技术"),
        ("華為技術有限公司", "华为技术"),
        ("华为技术有限公司", "华为技术"),
        ("华为 技术 有限公司", "华为技术"),
        ("海尔集团有限公司", "海尔集团"),
        ("海尔集团公司", "海尔集团"),
        ("中国平安保险股份有限公司深圳分公司", "中国平安保险深圳分公司"),
        ("Acme Trading Co., Ltd.", "acmetrading"),
        ("ACME TRADING CO LTD", "acmetrading"),
        ("acme trading", "acmetrading"),
        ("Acme (China) Co., Ltd.", "acme"),
        ("The Procter & Gamble Company", "proctergamble"),
        ("Procter and Gamble", "proctergamble"),
        ("AT&T Inc.", "att"),
        ("Société Générale SA", "societegenerale"),
        ("有限公司", "有限公司"),
        (None, None),
        ("-", None),
    ],
)
def test_company_key(raw: object, expected: str | None) -> None:
    assert company_key(raw) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("深圳市腾讯计算机系统", "腾讯计算机系统"),
        ("北京百度网讯科技", "百度网讯科技"),
        ("广东省深圳市xx电子", "xx电子"),  # repeated: province, then city
        ("华为技术深圳", "华为技术"),  # a trailing place too
        ("上海银行", "上海银行"),  # 银行 alone would name no company
        ("阿里巴巴网络技术", "阿里巴巴网络技术"),  # 阿里 is not trusted bare
        ("三明治餐饮管理", "三明治餐饮管理"),
        ("三明市xx贸易", "xx贸易"),  # ... but with 市 it is a place
        ("acmetrading", "acmetrading"),
        (None, None),
        ("", None),
    ],
)
def test_company_core_without_region(key: str | None, expected: str | None) -> None:
    assert company_core_without_region(key) == expected


def test_keys_of_spelling_variants_agree() -> None:
    variants = [
        "深圳市腾讯计算机系统有限公司",
        "深圳市腾讯计算机系统有限责任公司",
        "深圳市 腾讯计算机系统 公司",
        "深圳市騰訊計算機系統有限公司",
    ]
    assert {company_key(v) for v in variants} == {"深圳市腾讯计算机系统"}
    assert company_key("ｓｈｅｎｚｈｅｎ") == "shenzhen"
