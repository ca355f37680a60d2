"""Derived keys and virtual fields: names, companies, parties."""

from __future__ import annotations

from typing import Any

import pytest

from custgraph.matching.record import MatchRecord


@pytest.mark.parametrize(
    ("fields", "given", "family"),
    [
        ({"name": "张伟"}, "伟", "张"),
        ({"name": "欧阳娜娜"}, "娜娜", "欧阳"),
        ({"name": "李先生"}, None, "李"),
        ({"name": "Wei Zhang"}, "Wei", "Zhang"),
        ({"first_name": "mitchell", "last_name": "green"}, "mitchell", "green"),
        ({"first_name": "mitchell"}, "mitchell", None),
        ({"name": "华为技术有限公司"}, None, None),
        ({"customer_type": "company", "name": "华信供应链管理"}, None, None),  # not 华 + 信供应链管理
        ({"name": "华盛投资管理"}, None, None),
    ],
)
def test_name_parts(fields: dict[str, Any], given: str | None, family: str | None) -> None:
    rec = MatchRecord("s|1", "s", fields)
    assert (rec.key("given_name"), rec.key("family_name")) == (given, family)


@pytest.mark.parametrize(
    ("fields", "party", "organization"),
    [
        ({"name": "华为技术有限公司"}, "company", "华为技术有限公司"),
        ({"name": "张伟", "company": "华为技术有限公司"}, "person", "华为技术有限公司"),
        # a declared company's name is its own, even without a legal form
        ({"customer_type": "企业", "name": "通达机械"}, "company", "通达机械"),
        ({"customer_type": "company", "name": "华信供应链管理"}, "company", "华信供应链管理"),
        # a han-only name no person has: too long, or a trade word at the end
        ({"name": "南京银河教育科技"}, "company", "南京银河教育科技"),
        ({"name": "永泰服饰"}, "company", "永泰服饰"),
        ({"name": "欧阳娜娜"}, "person", None),
        ({"name": "司马文化"}, "person", None),  # a compound surname, not a trade word
        ({"name": "金女士"}, "person", None),
        ({"mobile": "+8613812345678"}, None, None),
    ],
)
def test_party_and_organization(fields: dict[str, Any], party: str | None, organization: str | None) -> None:
    rec = MatchRecord("s|1", "s", fields)
    assert rec.key("party") == party
    assert rec.key("organization") == organization


@pytest.mark.parametrize(
    ("field", "transform", "value", "expected"),
    [
        ("name", "pinyin", "张伟", "zhangwei"),
        ("name", "pinyin", "Zhang Wei", "zhangwei"),
        ("name", "sorted_tokens", "Wei Zhang", "wei zhang"),
        ("name", "soundex", "robert", "r163"),
        ("company", "company", "上海永泰网络科技有限公司", "上海永泰网络科技"),
        ("company", "company_core", "上海永泰网络科技有限公司", "永泰网络科技"),
        ("city", "city", "北京市", "北京"),
        ("city", "city_pinyin", "广州市", "guangzhou"),
        # place readings, not surname readings: 厦 xia, 长 chang, 佛 fo
        ("city", "city_pinyin", "厦门", "xiamen"),
        ("city", "city_pinyin", "长沙市", "changsha"),
        ("city", "city_pinyin", "佛山", "foshan"),
        # a city that is a province of its own, in any spelling
        ("city", "city", "Hong Kong", "香港"),
        ("city", "city", "HK", "香港"),
        ("city", "city", "Beijing", "北京"),
        ("city", "city", "上海市", "上海"),
        ("national_id", "sorted_chars", "4137877", "1347778"),
        ("birth_date", "year", "1956-04-09", "1956"),
        ("email", "email_local", "Wang.Lei@163.com", "wang.lei"),
        # a mailbox at a public provider is a person's own; a company's domain is a work one
        ("email", "personal_email", "Wang.Lei@163.com", "wang.lei@163.com"),
        ("email", "personal_email", "1706861370@qq.com", "1706861370@qq.com"),
        ("email", "personal_email", "dengh@mingdeprec.com.cn", None),
    ],
)
def test_transforms(field: str, transform: str, value: str, expected: str) -> None:
    assert MatchRecord("s|1", "s", {field: value}).key(field, transform) == expected


def test_keys_are_cached_and_shared_with_reassigned_copies() -> None:
    rec = MatchRecord("s|1", "s", {"name": "张伟"})
    assert rec.key("full_name", "pinyin") == "zhangwei"
    moved = rec.with_customer("C000001")
    assert moved.customer_id == "C000001" and moved.key("full_name", "pinyin") == "zhangwei"
    assert hash(moved) == hash(rec)


@pytest.mark.parametrize(
    ("fields", "city"),
    [
        ({"city": "深圳市", "address": "北京市朝阳区"}, "深圳市"),  # the column wins
        ({"address": "广东省深圳市南山区新华路434号"}, "深圳"),
        ({"address": "杭州西湖区东风路492号"}, "杭州"),
        ({"address": "重庆市渝北区建设路10号"}, "重庆"),
        ({"address": "江蘇省南京市玄武區人民路376號"}, "南京"),
        ({"address": "朝阳区建国路88号"}, None),  # a district, not the city 朝阳
        ({"address": "槐荫区文化路698号"}, None),
        ({"address": "242 Harbour Road, London"}, "London"),
        ({"address": "12 Main Street"}, None),
    ],
)
def test_city_any_reads_the_address(fields: dict[str, Any], city: str | None) -> None:
    assert MatchRecord("s|1", "s", fields).key("city_any", "raw") == city


@pytest.mark.parametrize(
    ("fields", "handle"),
    [
        ({"name": "李娜", "email": "na.li@qq.com"}, None),  # the name again
        ({"name": "郭建斌", "email": "guojb@x.com"}, None),  # family + initials
        ({"name": "Wang Gang Bo", "email": "wanggangbo@x.cn"}, None),
        ({"name": "李娜", "email": "lina67@126.com"}, "lina67"),  # digits make it a handle
        ({"name": "张伟", "email": "dragonfly@x.com"}, "dragonfly"),
        ({"email": "abc@x.com"}, "abc"),  # no name to compare with
    ],
)
def test_email_handle_is_more_than_the_name(fields: dict[str, Any], handle: str | None) -> None:
    assert MatchRecord("s|1", "s", fields).key("email_handle", "raw") == handle
