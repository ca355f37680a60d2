"""Person names (custgraph.matching.standardize.names)."""

import pytest

from custgraph.matching.standardize import name_key, name_pinyin, normalize_name, split_person_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("  张  三 ", "张三"),  # padding used to align two- and three-character names
        ("張三豐", "张三丰"),
        ("ＺＨＡＮＧ　Ｓａｎ", "ZHANG San"),
        ("mitchell", "mitchell"),  # case kept for display
        ("John  Smith", "John Smith"),
        ("阿卜杜拉·买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉•买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉.买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉 ・ 买买提", "阿卜杜拉·买买提"),
        ("张先生", "张先生"),  # the title stays in the display form
        (None, None),
        ("-", None),
        ("无", None),
    ],
)
def test_normalize_name(raw: object, expected: str | None) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("张 三", "张三"),
        ("張三", "张三"),
        ("张先生", "张"),
        ("李女士", "李"),
        ("王总", "王"),
        ("王总经理", "王"),
        ("刘经理", "刘"),
        ("陈老师", "陈"),
        ("先生", "先生"),  # nothing would remain: keep it
        ("阿卜杜拉·买买提", "阿卜杜拉买买提"),
        ("John Smith", "john smith"),
        ("  JOHN   SMITH ", "john smith"),
        ("Smith, John", "john smith"),
        ("Mr. John Smith", "john smith"),
        ("Dr John Smith Jr.", "john smith"),
        ("Mrs Smith", "smith"),
        ("Dr. Mary-Jane O'Brien", "mary jane obrien"),
        ("José García", "jose garcia"),
        ("mitchell", "mitchell"),
        (None, None),
    ],
)
def test_name_key(raw: object, expected: str | None) -> None:
    assert name_key(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "zhangsan"),
        ("張三", "zhangsan"),
        ("Zhang San", "zhangsan"),
        ("zhang  san", "zhangsan"),
        ("ZHANGSAN", "zhangsan"),
        ("张先生", "zhang"),
        ("欧阳娜娜", "ouyangnana"),
        ("吕布", "lvbu"),
        ("曾国藩", "zengguofan"),  # surname reading, not the common "ceng"
        ("单雄信", "shanxiongxin"),
        ("解缙", "xiejin"),
        ("尉迟恭", "yuchigong"),
        ("John Smith", "johnsmith"),
        (None, None),
    ],
)
def test_name_pinyin(raw: object, expected: str | None) -> None:
    assert name_pinyin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", ("张", "三")),
        ("张三丰", ("张", "三丰")),
        ("張 三", ("张", "三")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("司马相如", ("司马", "相如")),
        ("诸葛亮", ("诸葛", "亮")),
        ("上官婉儿", ("上官", "婉儿")),
        ("欧阳", ("欧", "阳")),  # two characters: single surname + given name
        ("张", ("张", None)),
        ("张先生", ("张", None)),
        ("欧阳先生", ("欧阳", None)),
        ("约翰·史密斯", ("史密斯", "约翰")),
        ("John Smith", ("Smith", "John")),
        ("Smith, John", ("Smith", "John")),
        ("John Paul Smith", ("Smith", "John Paul")),
        ("Mr. John Smith Jr.", ("Smith", "John")),
        ("Ludwig van Beethoven", ("van Beethoven", "Ludwig")),
        ("Mr Smith", ("Smith", None)),
        ("mitchell", (None, "mitchell")),
        (None, (None, None)),
        ("", (None, None)),
    ],
)
def test_split_person_name(raw: object, expected: tuple[str | None, str | None]) -> None:
    assert split_person_name(raw) == expected
