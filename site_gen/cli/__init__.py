"""cli: the command line (`build.py`, `site-gen`): arguments, commands, messages, exit codes.

The top of the graph: imports anything, imported by nothing of ours.
"""
