"""The registry work area: 项目, 企业, 人员 pages and their editors."""
