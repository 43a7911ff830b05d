"""Entry point: `python build.py [build|check|schema] …` (see site_gen.cli)."""

from site_gen.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
