"""How dirty the generated sources are: one rate per kind of dirt, checked when the config is built.

Rates are base probabilities per record (or per entity / per company for the traps). Each source
scales the record-level rates by its own weight in SOURCE_WEIGHTS, because people make different
mistakes in different places: a web form is typed by the customer (pinyin names, +86, full-width
digits), a CRM by a sales rep (placeholders, switchboards, duplicate entries), a shop by a courier
label (先生/女士, addresses).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class DirtConfig:
    # --- record level: person names
    name_typo: float = 0.04  # homophone character: 张伟 -> 张玮
    pinyin_name: float = 0.08  # Zhang Wei / zhangwei / Wei Zhang
    traditional: float = 0.03  # 陈 -> 陳
    name_spacing: float = 0.03  # 张  伟 (aligned two-character names)
    honorific: float = 0.04  # 张先生 / 王女士
    english_alias: float = 0.3  # share of alias holders who use the alias in English channels
    # --- record level: contacts and places
    phone_format: float = 0.25  # spaces, dashes, +86, 0086, full-width digits
    masked_mobile: float = 0.05  # 138****5678, as shops and call centers export it
    email_format: float = 0.08  # upper case, spaces, domain typos
    region_variant: float = 0.3  # 北京 / 北京市 / Beijing
    company_variant: float = 0.35  # 有限责任公司, no suffix, (中国), English name
    industry_variant: float = 0.1  # 制造 / Manufacturing
    id_typo: float = 0.02  # a mistyped digit: the national ID / credit code fails its checksum
    missing_field: float = 0.08  # an extra blank in any optional field
    date_format: float = 0.3  # 2024/3/5, 2024年3月5日, 20240305
    amount_format: float = 0.5  # ¥1,280.00, 1.28万, 1280元
    excel_number_cells: float = 0.1  # a mobile stored as a number cell
    # --- record level: rows
    duplicate_entry: float = 0.02  # the same content entered again under a new key
    exact_duplicate_row: float = 0.01  # a verbatim copy of a row, key included
    # --- entity level (share of entities)
    english_alias_holders: float = 0.06  # Chinese customers with an English nickname
    moved_company: float = 0.05  # same person, new employer in a later source
    changed_mobile: float = 0.07  # old mobile in the CRM, new one later; email or ID still links
    common_name: float = 0.03  # persons named 张伟 / 王芳 / ... (different people, different cities)
    placeholder_mobile: float = 0.01  # 13800000000 typed for customers who gave no number
    # --- company level (share of companies with several employees on file)
    shared_switchboard: float = 0.12  # employees' "mobile" is the company switchboard
    shared_info_email: float = 0.08  # employees give info@company.com

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"DirtConfig.{f.name} must be a rate in [0, 1], got {value!r}")

    @classmethod
    def clean(cls) -> DirtConfig:
        """No dirt at all: every record renders the true values."""
        return cls(**{f.name: 0.0 for f in fields(cls)})

    def scaled(self, factor: float) -> DirtConfig:
        """Every rate multiplied by factor (capped at 1)."""
        if factor < 0:
            raise ValueError("factor must be >= 0")
        return replace(self, **{f.name: min(1.0, getattr(self, f.name) * factor) for f in fields(self)})

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DirtConfig:
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown dirt kinds: {sorted(unknown)}")
        return cls(**data)

    def rate(self, kind: str, source: str) -> float:
        """The rate of one kind of dirt in one source."""
        weight = SOURCE_WEIGHTS.get(source, {}).get(kind, 1.0)
        return min(1.0, getattr(self, kind) * weight)


SOURCE_WEIGHTS: dict[str, dict[str, float]] = {
    "crm_export": {
        "pinyin_name": 0.3,
        "honorific": 0.0,
        "phone_format": 0.6,
        "email_format": 0.5,
        "company_variant": 0.6,
        "date_format": 1.0,
        "masked_mobile": 0.0,
    },
    "orders": {
        "pinyin_name": 0.5,
        "honorific": 2.0,
        "traditional": 0.5,
        "phone_format": 1.0,
        "name_spacing": 0.3,
        "duplicate_entry": 0.0,
        "masked_mobile": 2.0,
    },
    "webform": {
        "pinyin_name": 3.0,
        "honorific": 0.3,
        "name_spacing": 0.0,
        "traditional": 1.5,
        "phone_format": 1.6,
        "email_format": 1.5,
        "region_variant": 1.5,
        "company_variant": 1.5,
        "exact_duplicate_row": 0.0,
        "masked_mobile": 0.0,
    },
    "interactions": {
        "pinyin_name": 0.3,
        "honorific": 1.0,
        "phone_format": 0.8,
        "exact_duplicate_row": 0.0,
        "duplicate_entry": 0.0,
    },
}
