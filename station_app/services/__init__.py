"""Use cases: one function per clerk action. Each takes a Database (or Session) and an Actor."""
