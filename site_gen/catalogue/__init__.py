"""catalogue: what the actors share, across files: the clients they name (variants merged)
and who worked with whom, and each actor's related actors.

May import content and the foundations only.
"""
