"""Qt views. The only package (with station_app.gui) allowed to import PySide6."""
