"""Regions and cities (custgraph.matching.standardize.regions, custgraph/data/regions.yaml)."""

import pytest

from custgraph.matching.standardize import (
    city_key,
    city_region,
    region_area,
    region_code,
    region_from_address,
    standardize_city,
    standardize_region,
)
from custgraph.matching.standardize.regions import company_place_names, provinces

AREAS = {"华北", "华东", "华南", "华中", "西南", "西北", "东北", "港澳台"}


def test_table_has_all_34_province_level_divisions() -> None:
    table = provinces()
    assert len(table) == 34
    assert len({p.code for p in table}) == 34
    assert len({p.name for p in table}) == 34
    assert {p.area for p in table} == AREAS
    for province in table:
        assert province.name.startswith(province.short)
        assert standardize_region(province.name) == province.name
        assert standardize_region(province.short) == province.name
        assert standardize_region("CN-" + province.iso) == province.name
        for alias in province.aliases:
            assert standardize_region(alias) == province.name, alias


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("北京", "北京市"),
        ("北京市", "北京市"),
        ("Beijing", "北京市"),
        ("BEIJING", "北京市"),
        ("BJ", "北京市"),
        ("bj", "北京市"),
        ("Peking", "北京市"),
        ("京", "北京市"),
        ("广东", "广东省"),
        ("广东省", "广东省"),
        ("Guangdong", "广东省"),
        ("Guangdong Province", "广东省"),
        ("guangdong sheng", "广东省"),
        ("廣東", "广东省"),  # traditional characters
        (" 上海 ", "上海市"),
        ("Shanghai Shi", "上海市"),
        ("内蒙古", "内蒙古自治区"),
        ("Inner Mongolia", "内蒙古自治区"),
        ("广西", "广西壮族自治区"),
        ("广西省", "广西壮族自治区"),  # a common mistake, still unambiguous
        ("西藏", "西藏自治区"),
        ("Tibet", "西藏自治区"),
        ("香港", "香港特别行政区"),
        ("Hong Kong", "香港特别行政区"),
        ("HongKong", "香港特别行政区"),
        ("Macao", "澳门特别行政区"),
        ("臺灣", "台湾省"),
        ("Shaanxi", "陕西省"),
        ("Shanxi", "山西省"),
        ("CN-SC", "四川省"),
        # Not in the table: kept as written (whitespace-normalized), never rejected.
        ("nsw", "nsw"),
        ("sa", "sa"),
        ("vic", "vic"),
        ("SC", "SC"),  # South Carolina, not Sichuan
        ("NM", "NM"),
        ("HI", "HI"),
        ("California", "California"),
        ("  New   South Wales ", "New South Wales"),
        ("广东深圳", "广东深圳"),
    ],
)
def test_standardize_region(raw: object, expected: str) -> None:
    assert standardize_region(raw) == expected


@pytest.mark.parametrize("raw", [None, "", " ", "-", "无"])
def test_blank_region_is_none(raw: object) -> None:
    assert standardize_region(raw) is None


@pytest.mark.parametrize(
    ("raw", "area", "code"),
    [
        ("北京市", "华北", "11"),
        ("内蒙古", "华北", "15"),
        ("上海", "华东", "31"),
        ("Shandong", "华东", "37"),
        ("河南", "华中", "41"),
        ("广东省", "华南", "44"),
        ("海南", "华南", "46"),
        ("重庆", "西南", "50"),
        ("新疆", "西北", "65"),
        ("辽宁", "东北", "21"),
        ("香港", "港澳台", "81"),
        ("台湾", "港澳台", "71"),
        ("nsw", None, None),
        (None, None, None),
    ],
)
def test_region_area_and_code(raw: object, area: str | None, code: str | None) -> None:
    assert region_area(raw) == area
    assert region_code(raw) == code


@pytest.mark.parametrize(
    ("raw", "display", "key"),
    [
        ("深圳市", "深圳市", "深圳"),
        ("深圳", "深圳", "深圳"),
        (" 臺北市 ", "台北市", "台北"),
        ("朝阳区", "朝阳区", "朝阳"),
        ("沙县", "沙县", "沙县"),  # only one character would remain
        ("延边朝鲜族自治州", "延边朝鲜族自治州", "延边朝鲜族"),
        ("Sydney City", "Sydney City", "sydney"),
        ("SYDNEY", "SYDNEY", "sydney"),
        ("St. Kilda", "St. Kilda", "st kilda"),
        ("mitchell", "mitchell", "mitchell"),
        ("Zürich", "Zürich", "zurich"),
        (None, None, None),
        ("-", None, None),
    ],
)
def test_city(raw: object, display: str | None, key: str | None) -> None:
    assert standardize_city(raw) == display
    assert city_key(raw) == key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("深圳", "广东省"),
        ("深圳市", "广东省"),
        ("吉林市", "吉林省"),
        ("北京", "北京市"),
        ("朝阳区", None),  # a Beijing district, not the city 朝阳 in 辽宁
        ("Sydney", None),
    ],
)
def test_city_region(raw: object, expected: str | None) -> None:
    assert city_region(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("广东省深圳市南山区科技园", "广东省"),
        ("广东深圳南山区", "广东省"),
        ("深圳市南山区", "广东省"),
        ("北京市朝阳区建国路", "北京市"),
        ("内蒙古呼和浩特", "内蒙古自治区"),
        ("深圳南山区", None),  # a bare city name is not trusted
        ("42 wallaby place", None),
    ],
)
def test_region_from_address(raw: object, expected: str | None) -> None:
    assert region_from_address(raw) == expected


def test_company_place_names_exclude_risky_bare_cities() -> None:
    names = company_place_names()
    assert "深圳" in names and "深圳市" in names and "北京" in names
    assert "阿里" not in names and "三明" not in names  # 阿里巴巴, 三明治
    assert list(names) == sorted(names, key=lambda name: (-len(name), name))
