"""The "produced on" date, from the user, a reproducible build, or the clock, in that order.

``SOURCE_DATE_EPOCH`` is the reproducible-builds.org convention: seconds since 1970 in UTC.
With it (or ``--date``) the same figures and options always give byte-identical output.
"""

from __future__ import annotations

import datetime
import os


class DateError(ValueError):
    """A date from the environment that cannot be used; the message says why."""


def produced_on(
    explicit: datetime.date | None = None,
    environ: dict[str, str] | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    if explicit is not None:
        return explicit
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise DateError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970"
            )
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            raise DateError(f"SOURCE_DATE_EPOCH={epoch!r} is out of range") from None
    return today if today is not None else datetime.date.today()
