"""Entry point: `python build.py [build|check|schema] …` (see site_gen.cli)."""

from site_gen.cli import entry

if __name__ == "__main__":
    entry()
