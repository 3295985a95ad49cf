"""Statutory rules kernel: pure functions over versioned, admin-editable reference data.

No database and no Qt here. Modules: ``ids``, ``calendar``, ``accidents``, ``dangerous_works``,
``fees``, ``insurance``, ``jgj59``, ``procedure`` (with ``certificates``, ``documents``,
``penalties``), ``supervision``, ``hazards``; reference data in ``refdata`` (JSON in ``data/``).
"""

from .errors import CalendarYearUnknown, RuleInputError

__all__ = ["CalendarYearUnknown", "RuleInputError"]
