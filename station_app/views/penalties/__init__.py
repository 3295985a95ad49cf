"""行政处罚 area: the case list, the case window with its stage timeline and clocks, stage dialogs."""
