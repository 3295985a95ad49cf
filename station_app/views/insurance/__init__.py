"""安责险: policies, their checks, and the project summary."""
