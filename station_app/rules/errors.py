"""Exceptions raised by the rules kernel.

Every rule function rejects bad input loudly: a legal deadline or a fine range
computed from a silent default is worse than an error the clerk can act on.
"""

from __future__ import annotations


class RuleInputError(ValueError):
    """Bad argument to a rule function (negative count, unknown kind, date outside the data).

    The message is Chinese and names the offending argument so the UI can show it as is.
    """


class CalendarYearUnknown(LookupError):
    """No statutory-holiday schedule is known for ``year``.

    The State Council publishes next year's 节假日安排 each November/December; until an
    admin enters it, no working-day deadline in that year can be computed.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"缺少{year}年法定节假日数据，请在 系统设置 → 法定节假日 中录入{year}年节假日安排")

    def __str__(self) -> str:
        return str(self.args[0])
