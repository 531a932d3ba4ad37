"""The CLI's commands beside build: serve, init/new, explain, clean, and how results are printed."""
