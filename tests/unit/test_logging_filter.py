"""privacy.logging_filter: no log record of the process keeps the personal data of a message."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from privacy import logging_filter
from privacy.logging_filter import RedactingFilter, install_redaction


def record(msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("test", logging.INFO, __file__, 1, msg, args or None, None)


@pytest.fixture
def fresh_factory(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """install_redaction() as in a new process; the process's record factory is restored afterwards."""
    previous = logging.getLogRecordFactory()
    monkeypatch.setattr(logging_filter, "_installed", False)
    logging.setLogRecordFactory(logging.LogRecord)
    yield
    logging.setLogRecordFactory(previous)


def test_the_filter_redacts_the_formatted_message_and_drops_its_arguments() -> None:
    rec = record("user %s said: %s", "5512345678", "me llamo Ana Lopez")
    assert RedactingFilter().filter(rec) is True
    assert rec.msg == "user [telefono] said: me llamo [nombre]"
    assert rec.args is None  # nothing left for a handler to format the original values with
    assert rec.getMessage() == "user [telefono] said: me llamo [nombre]"


def test_a_record_without_personal_data_is_kept_as_it_reads() -> None:
    rec = record("%d events saved", 3)
    assert RedactingFilter().filter(rec) is True
    assert rec.getMessage() == "3 events saved"


def test_a_broken_log_call_is_let_through_untouched_rather_than_breaking_the_service() -> None:
    rec = record("expected a number: %d", "ana@example.org")
    assert RedactingFilter().filter(rec) is True
    assert (rec.msg, rec.args) == ("expected a number: %d", ("ana@example.org",))


def test_once_installed_every_record_of_the_process_is_redacted(fresh_factory: None) -> None:
    install_redaction()
    rec = logging.getLogger("any.module").makeRecord("any.module", logging.INFO, __file__, 1,
                                                     "message from %s", ("ana@example.org",), None)
    assert rec.getMessage() == "message from [correo]"


def test_installing_twice_wraps_the_record_factory_once(fresh_factory: None) -> None:
    install_redaction()
    installed = logging.getLogRecordFactory()
    assert installed is not logging.LogRecord
    install_redaction()
    assert logging.getLogRecordFactory() is installed

