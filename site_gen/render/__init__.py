"""render: pages made into bytes (Jinja, autoescaped, StrictUndefined; hashed static assets)
and every internal link of the rendered site checked.

May import pages, catalogue, content and the foundations.
"""
