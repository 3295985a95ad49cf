"""月报 area: figures with drill-down, narrative, cross-checks, generate, sign-off and diff."""
