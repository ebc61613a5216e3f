"""Plan and task pages, one module per feature."""
