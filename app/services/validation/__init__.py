"""Pure input checks for the registration forms: no Qt, no database.

Each check returns the normalised value to store plus a short Chinese
message for the receptionist, so forms and services share one rule set.
"""
from .idnumbers import ID_TYPES, IdCheck, check_id_number, mask_id_number
from .names import MIDDLE_DOT, NameCheck, check_name, normalize_name
from .phones import PhoneCheck, check_phone, mask_phone, phone_digits
from .text import check_division_code, check_text

__all__ = [
    "ID_TYPES",
    "IdCheck",
    "check_id_number",
    "mask_id_number",
    "PhoneCheck",
    "check_phone",
    "mask_phone",
    "phone_digits",
    "MIDDLE_DOT",
    "NameCheck",
    "check_name",
    "normalize_name",
    "check_text",
    "check_division_code",
]
