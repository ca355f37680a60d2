"""Pure-Python standardizers: one raw spreadsheet/API value in, one canonical value (or None) out.

Convention for every function here: blank input (None, empty, whitespace, placeholders such as
``-``, ``N/A``, ``无``, ``待补充``) returns None; a present but unusable value raises :class:`InvalidValue`
with a short human reason for the import report. Imports only the standard library and the text libraries
(phonenumbers, email-validator, pypinyin, OpenCC, PyYAML); the heavy ones load on first use.
Rules are documented in ``docs/standardization.md``.
"""

from .amounts import standardize_amount
from .booleans import standardize_bool
from .companies import company_core_without_region, company_key, normalize_company, split_company
from .customer_types import standardize_customer_type
from .dates import parse_date, standardize_date, standardize_datetime
from .emails import email_domain, standardize_email
from .errors import InvalidValue
from .fields import DATE_FIELDS, STANDARDIZED_FIELDS, TEXT_FIELDS, standardize_field
from .gender import standardize_gender
from .identifiers import (
    credit_code_check_char,
    make_credit_code,
    make_national_id,
    national_id_birth_date,
    national_id_check_char,
    national_id_gender,
    standardize_bank_card,
    standardize_credit_code,
    standardize_national_id,
    upgrade_national_id,
)
from .lifecycle import standardize_lifecycle
from .names import name_key, name_pinyin, normalize_name, split_person_name
from .numbers import standardize_int, standardize_satisfaction
from .phones import masked_mobile, phone_digits, standardize_mobile, standardize_phone
from .postal import standardize_postal_code
from .regions import (
    city_key,
    city_region,
    region_area,
    region_code,
    region_from_address,
    standardize_city,
    standardize_region,
)
from .tags import standardize_tags
from .text import clean_text, standardize_text

__all__ = [
    "DATE_FIELDS",
    "STANDARDIZED_FIELDS",
    "TEXT_FIELDS",
    "InvalidValue",
    "city_key",
    "city_region",
    "clean_text",
    "company_core_without_region",
    "company_key",
    "credit_code_check_char",
    "email_domain",
    "make_credit_code",
    "make_national_id",
    "masked_mobile",
    "name_key",
    "name_pinyin",
    "national_id_birth_date",
    "national_id_check_char",
    "national_id_gender",
    "normalize_company",
    "normalize_name",
    "parse_date",
    "phone_digits",
    "region_area",
    "region_code",
    "region_from_address",
    "split_company",
    "split_person_name",
    "standardize_amount",
    "standardize_bank_card",
    "standardize_bool",
    "standardize_city",
    "standardize_credit_code",
    "standardize_customer_type",
    "standardize_date",
    "standardize_datetime",
    "standardize_email",
    "standardize_field",
    "standardize_gender",
    "standardize_int",
    "standardize_lifecycle",
    "standardize_mobile",
    "standardize_national_id",
    "standardize_phone",
    "standardize_postal_code",
    "standardize_region",
    "standardize_satisfaction",
    "standardize_tags",
    "standardize_text",
    "upgrade_national_id",
]
