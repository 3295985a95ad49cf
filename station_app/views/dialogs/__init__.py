"""Dialogs of the shell: first start, login, change password, and the message helpers."""
