"""Entry point: `python build.py [build|check|schema] …` (see site_gen.cli.commands)."""

from site_gen.cli.commands import entry

if __name__ == "__main__":
    entry()
