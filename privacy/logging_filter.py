"""A logging filter that redacts personal data from every log record.

Installed process-wide (a log record factory) by `install_redaction()`.
"""

from __future__ import annotations

import logging

from privacy.redaction import redact


class RedactingFilter(logging.Filter):
    """Replaces phone numbers, e-mails, CURP and document numbers in log messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken log call must not break the service
            return True
        record.msg = redact(message)
        record.args = None
        return True


_installed = False


def install_redaction() -> None:
    """Redact every log record of this process, whatever handler prints it (idempotent).

    Called by the input channels and the action server at start-up, not at import time.
    """
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        RedactingFilter().filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
