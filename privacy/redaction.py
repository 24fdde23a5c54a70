"""Redact personal data from text: phone numbers, e-mail addresses, CURP, passport and document numbers.

Used before conversation events are stored (privacy.tracker_store) and on every log record
(privacy.logging). The replacement names what was removed, so a reader of a stored conversation
still sees its shape: "mi numero es [telefono]".
"""

from __future__ import annotations

import re

# Order matters: the most specific patterns first.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[correo]"),
    # CURP: 4 letters, 6 digits (birth date), H/M, 5 letters, 1 alphanumeric, 1 digit.
    (re.compile(r"\b[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d\b", re.IGNORECASE), "[CURP]"),
    # Passports and ids: letters and digits mixed, 6-12 characters, at least 5 digits (G12345678, A1B2C3D4E5).
    (re.compile(r"\b(?=[A-Z0-9]{6,12}\b)(?=(?:[A-Z]*\d){5})(?=[0-9]*[A-Z])[A-Z0-9]+\b", re.IGNORECASE), "[documento]"),
    # Phone numbers: 8 or more digits, optionally with +, spaces, dots, dashes or brackets between them.
    (re.compile(r"(?<![\w])\+?\(?\d(?:[\s.()-]*\d){7,}(?![\w])"), "[telefono]"),
    # Any other long number (document, case or card numbers): 6 or more digits.
    (re.compile(r"(?<![\w])\d{6,}(?![\w])"), "[numero]"),
]


def redact(text: str) -> str:
    """`text` with personal data replaced by placeholders."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
