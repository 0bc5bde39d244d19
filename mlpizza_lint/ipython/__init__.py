"""IPython syntax: what each magic and shell command means, and cells translated to Python."""
