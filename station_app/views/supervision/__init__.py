"""网格与分工: grids, project teams, bulk reassignment, blind spots, workload, coverage rounds,
双随机 draws and supervisor portraits — one tab per module, composed by ``page.SupervisionPage``."""
