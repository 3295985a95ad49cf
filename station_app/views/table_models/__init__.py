"""Qt table models over SQL lists (lazy pages, sort and filter pushed into SQL)."""

from station_app.views.table_models.sql_table_model import (
    PAGE_SIZE,
    ROW_ID_ROLE,
    SORT_KEY_ROLE,
    SqlTableModel,
    any_loading,
    format_cell,
    wait_all_loaded,
)

__all__ = ["PAGE_SIZE", "ROW_ID_ROLE", "SORT_KEY_ROLE", "SqlTableModel", "any_loading", "format_cell",
           "wait_all_loaded"]
