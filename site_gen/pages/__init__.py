"""pages: which pages and files the site has, what each one shows, and its key.

`planner.py` turns a catalogue into `Page`s (a route, a template, the values it shows);
`routes.py` owns every address; `views.py` holds what templates read; `keys.py` makes each
page's key from its inputs; `derived.py`, `exports.py`, `search*.py` make what one actor alone
decides and the files made from every actor (open data, search index). Returns values, writes
nothing. May import catalogue, content and the foundations.
"""
