"""The shared date axis of every chart: days at UTC midnight, labelled without time-zone drift."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg

from esncoach.services.progress_series import DAY_S, EPOCH


class TimelineAxis(pg.DateAxisItem):
    """A date axis reading ``progress_series.epoch`` seconds, with compact day/month/year labels."""

    def __init__(self, orientation: str = "bottom", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(orientation=orientation, utcOffset=0, **kwargs)

    def tickStrings(self, values, scale, spacing):  # type: ignore[no-untyped-def]  # noqa: N802 - Qt naming
        if spacing < DAY_S:
            return super().tickStrings(values, scale, spacing)
        out = []
        for v in values:
            try:
                day = EPOCH + dt.timedelta(seconds=float(v))
            except (OverflowError, ValueError):
                out.append("")
                continue
            if spacing >= 300 * DAY_S:
                out.append(f"{day:%Y}")
            elif spacing >= 25 * DAY_S:
                # Months by name; January by its year, so a long range still says which year it is.
                out.append(f"{day:%Y}" if day.month == 1 else f"{day:%b}")
            else:
                out.append(f"{day.day} {day:%b}")
        return out
