"""output: the only package that writes the site: which folder a build may replace, its lock,
the spare tree staged and swapped in atomically, the manifest of what each tree holds.

May import render, pages, catalogue, content and the foundations; never build, preview or cli.
"""
