"""site_gen: the static site generator of the directory of participatory-democracy actors."""

__version__ = "0.1.0"
