"""Documents: notebooks, scripts and dependency files read into cells, and written back."""
