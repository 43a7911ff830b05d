"""preview: `serve`, the live preview: the same pipeline built into memory or a temporary
folder, served on 127.0.0.1, rebuilt on every save, pages reloaded by themselves.

May import build and everything below it; never cli.
"""
