"""The date a run is "made on": for a report's "produced on" line and for ``--month previous``.

A cron job means "today", a reproducible build means ``SOURCE_DATE_EPOCH`` (seconds since 1970
in UTC, the reproducible-builds.org convention) and a test or a re-run means an explicit
``--date``; in that order of precedence. With either of the first two, the same figures and
options always give byte-identical output. One small module so every command reads them the
same way.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Mapping


class DateError(ValueError):
    """A date or ``SOURCE_DATE_EPOCH`` that cannot be read; the message says what was expected."""


def parse_date(text: str) -> datetime.date:
    """``YYYY-MM-DD``, a real calendar date."""
    cleaned = text.strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cleaned):
        raise DateError(f"{text!r} is not a date (expected YYYY-MM-DD, such as 2023-02-01)")
    try:
        return datetime.date.fromisoformat(cleaned)
    except ValueError:
        raise DateError(f"{text!r} is not a real date (expected YYYY-MM-DD)") from None


def reference_date(
    option: str | datetime.date | None = None,
    environ: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    """``--date`` if given, else ``SOURCE_DATE_EPOCH`` (as a UTC date), else today's local date."""
    if isinstance(option, datetime.date):
        return option
    if option:
        return parse_date(option)
    moment = source_date_epoch(environ)
    if moment is not None:
        return moment.date()
    return today if today is not None else datetime.date.today()


def source_date_epoch(environ: Mapping[str, str] | None = None) -> datetime.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC moment, None if unset; a report's date, a chart's stamp."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not (epoch.isascii() and epoch.isdigit()):
        raise DateError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970-01-01"
        )
    try:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise DateError(f"SOURCE_DATE_EPOCH={epoch!r} is out of range") from None
