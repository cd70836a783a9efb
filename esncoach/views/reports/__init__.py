"""PDF reports: the export dialog with preview and batch runs."""
