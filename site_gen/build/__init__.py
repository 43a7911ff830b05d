"""build: the pipeline (`pipeline.build`, the table of contents of a build), what a build is
asked and reports (`options.py`), where its files go (`target.py`), and the record of the last
build that makes the next one incremental (`record.py`, `edit_*.py`,
`reuse.py`, `export_chunks.py`).

May import output, render, pages, catalogue, content and the foundations; never preview or cli.
"""
