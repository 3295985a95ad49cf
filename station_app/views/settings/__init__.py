"""系统设置: station details, users, audit log, backup and restore, reference data."""
