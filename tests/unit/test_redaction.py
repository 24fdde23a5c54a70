"""Personal data is redacted; ordinary numbers (ages, days, years, emergency lines) are kept."""

from __future__ import annotations

import pytest

from privacy.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mi numero es 55 1234 5678", "mi numero es [telefono]"),
        ("llamame al +52 (962) 123-4567 porfa", "llamame al [telefono] porfa"),
        ("whatsapp 9621234567", "whatsapp [telefono]"),
        ("escribeme a maria.lopez@gmail.com", "escribeme a [correo]"),
        ("mi CURP es GOAM850101MCSRRR09", "mi CURP es [CURP]"),
        ("pasaporte G12345678", "pasaporte [documento]"),
        ("constancia AB123456", "constancia [documento]"),
        ("expediente 2023123", "expediente [numero]"),
    ],
)
def test_personal_data_is_replaced(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text", ["tengo 15 años y 3 hijos", "llegue hace 30 dias, en 2024", "llama al 911", "C.P. 11510", "hola"]
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact(text) == text
