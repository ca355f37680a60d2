"""The built-in synonym table: header -> canonical field, table-driven."""

from __future__ import annotations

import pytest

from custgraph.ingest.fields import ALL_FIELDS
from custgraph.ingest.synonyms import SynonymTable, default_synonyms, normalize_header

CASES = [
    # mobile
    ("手机号", "mobile"),
    ("手机", "mobile"),
    ("联系方式", "mobile"),
    ("mobile", "mobile"),
    ("Cell", "mobile"),
    ("电话号码", "mobile"),
    ("手机号码", "mobile"),
    ("手机号(必填)", "mobile"),
    ("*手机号", "mobile"),
    # names
    ("姓名", "name"),
    ("客户姓名", "name"),
    ("客户名称", "name"),
    ("Name", "name"),
    ("given_name", "first_name"),
    ("Surname", "last_name"),
    ("First Name", "first_name"),
    # contacts and ids
    ("邮箱", "email"),
    ("电子邮件", "email"),
    ("Email", "email"),
    ("E-mail", "email"),
    ("E_MAIL", "email"),
    ("身份证号", "national_id"),
    ("身份证", "national_id"),
    ("证件号码", "national_id"),
    ("soc_sec_id", "national_id"),
    ("统一社会信用代码", "credit_code"),
    ("信用代码", "credit_code"),
    ("座机", "phone"),
    ("Tel", "phone"),
    # organisation and place
    ("公司", "company"),
    ("公司名称", "company"),
    ("单位", "company"),
    ("企业名称", "company"),
    ("Company", "company"),
    ("地区", "region"),
    ("省份", "region"),
    ("省", "region"),
    ("Region", "region"),
    ("Province", "region"),
    ("state", "region"),
    ("城市", "city"),
    ("City", "city"),
    ("suburb", "city"),
    ("postcode", "postal_code"),
    ("邮编", "postal_code"),
    ("street_number", "address_number"),
    ("address_1", "address_line1"),
    ("address_2", "address_line2"),
    ("地址", "address"),
    # customer attributes
    ("行业", "industry"),
    ("industry", "industry"),
    ("渠道", "channel"),
    ("来源渠道", "channel"),
    ("channel", "channel"),
    ("负责人", "owner"),
    ("销售", "owner"),
    ("owner", "owner"),
    ("首次接触", "first_contact"),
    ("first_contact", "first_contact"),
    ("最后联系", "last_contact"),
    ("last_contact", "last_contact"),
    ("累计金额", "total_amount"),
    ("消费总额", "total_amount"),
    ("备注", "notes"),
    ("标签", "tags"),
    ("性别", "gender"),
    ("出生日期", "birth_date"),
    ("生日", "birth_date"),
    ("date_of_birth", "birth_date"),
    ("职位", "title"),
    ("title", "title"),
    ("客户类型", "customer_type"),
    ("生命周期", "lifecycle"),
    ("客户状态", "lifecycle"),
    ("是否同意营销", "consent_marketing"),
    # orders and interactions
    ("订单号", "order_id"),
    ("下单日期", "order_date"),
    ("order_date", "order_date"),
    ("金额", "amount"),
    ("订单金额", "amount"),
    ("金额（元）", "amount"),
    ("商品", "product"),
    ("产品", "product"),
    ("满意度", "satisfaction"),
    ("互动类型", "interaction_type"),
    ("interaction_type", "interaction_type"),
    ("内容", "content"),
    ("content", "content"),
    # key columns
    ("客户编号", "customer_key"),
    ("客户ID", "customer_key"),
    ("customer_id", "customer_key"),
    ("编号", "source_key"),
    ("ID", "source_key"),
    ("记录号", "source_key"),
    ("rec_id", "source_key"),
]


@pytest.mark.parametrize(("header", "entry"), CASES)
def test_header_to_field(header: str, entry: str) -> None:
    assert default_synonyms().lookup(header) == entry


@pytest.mark.parametrize(
    ("variant", "entry"),
    [
        ("  手机号  ", "mobile"),  # spaces
        ("ＭＯＢＩＬＥ", "mobile"),  # full-width, upper case
        ("手机号：", "mobile"),  # full-width punctuation
        ("電子郵件", "email"),  # traditional Chinese
        ("e-mail address", "email"),
        ("Date of Birth", "birth_date"),
        ("订单金额(元)", "amount"),
    ],
)
def test_matching_ignores_case_space_width_and_punctuation(variant: str, entry: str) -> None:
    assert default_synonyms().lookup(variant) == entry


@pytest.mark.parametrize("header", ["", "客户名单2024", "xyz", "12345", "备注2024"])
def test_unknown_headers(header: str) -> None:
    assert default_synonyms().lookup(header) is None


def test_every_canonical_field_is_recognised_by_its_own_name() -> None:
    table = default_synonyms()
    assert {field: table.lookup(field) for field in ALL_FIELDS} == {field: field for field in ALL_FIELDS}


def test_normalize_header() -> None:
    assert normalize_header(" E-Mail ") == "email"
    assert normalize_header("客户 姓名") == "客户姓名"


def test_a_synonym_under_two_fields_is_refused() -> None:
    with pytest.raises(ValueError, match="listed under both 'mobile' and 'phone'"):
        SynonymTable({"mobile": ["电话"], "phone": ["电 话"]})


def test_an_unknown_field_in_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown canonical field 'mobil'"):
        SynonymTable({"mobil": ["手机"]})


def test_unquoted_yaml_booleans_are_refused() -> None:
    with pytest.raises(ValueError, match="quoted strings"):
        SynonymTable({"notes": [True]})  # type: ignore[list-item]
