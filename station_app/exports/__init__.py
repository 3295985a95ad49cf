"""Exports: pure writers from report/list data to files (xlsx, docx), temp file + os.replace."""
