"""安全费用 area: station overview, a project's fee page, editors, and the project summary widget."""
