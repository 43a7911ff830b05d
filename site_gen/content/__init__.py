"""content: the editors' files read into the model.

Reads `content/` (settings, vocabularies, client aliases, one file per actor), checks every
file against the schema (`schema.py`, the one definition of an actor's keys) and returns a
`Catalogue` of frozen dataclasses (`model.py`), or every problem found. May import the
foundations at the root of site_gen only (errors, text, cache, fingerprint, parallel, formats).
"""
