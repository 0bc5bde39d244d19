"""`verify`: the one part of mlpizza-lint that runs the user's code.

Everything else reads files; this package starts a kernel, runs a notebook top to bottom
as "Restart and run all" would, and turns what happened into diagnostics that say which
static finding predicted each failure. Nothing here is imported by `check`, the hook or
the language server.
"""
