"""Reusable input widgets: search box, dates, money, pickers with 拼音首字母 completion, form errors."""

from station_app.views.widgets.combos import ValueCombo, choices
from station_app.views.widgets.date_edit import DateEdit, parse_date
from station_app.views.widgets.form_errors import FormErrors, InputReader
from station_app.views.widgets.number_edits import DecimalEdit, MoneyEdit, parse_decimal
from station_app.views.widgets.pickers import EnterprisePicker, PersonPicker, RecordPicker
from station_app.views.widgets.search_box import SearchBox

__all__ = [
    "DateEdit",
    "DecimalEdit",
    "EnterprisePicker",
    "FormErrors",
    "InputReader",
    "MoneyEdit",
    "PersonPicker",
    "RecordPicker",
    "SearchBox",
    "ValueCombo",
    "choices",
    "parse_date",
    "parse_decimal",
]
