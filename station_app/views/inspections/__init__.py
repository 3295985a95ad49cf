"""监督检查: the inspection list page and the inspection form (findings, photos, check items, JGJ 59)."""
