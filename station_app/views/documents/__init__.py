"""执法文书 area: the issued-documents page, the issue dialog, file actions."""
