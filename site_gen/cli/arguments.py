"""The command line's arguments: the commands, their options and defaults, read and checked
(`parse_args`). What each command then does is cli.py's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from site_gen.build.options import DEFAULT_TEMPLATES, PROJECT_ROOT
from site_gen.content.config import normalize_base_url
from site_gen.formats import FORMATS
from site_gen.i18n import LANGUAGES, _

COMMANDS = ("build", "check", "schema")
COMMANDS += ("serve", "new")
COMMANDS += ("links", "fmt")
SCHEMA_FILE = PROJECT_ROOT / "schema" / "actor.schema.json"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    common.add_argument("--verbose", action="store_true", help="show tracebacks")
    common.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the messages (default: the site's `language`, else fr)",
    )
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument(
        "--base-url",
        help="public address of the site, e.g. "
        "https://example.org/annuaire/ (default: from content/site.yaml)",
    )
    site.add_argument(
        "--warnings",
        choices=("grouped", "all"),
        default="grouped",
        help="grouped (default): repeated warnings of one kind once, with a count; all: each",
    )
    site.add_argument(
        "--timings", action="store_true", help="print the seconds and peak memory of each stage"
    )
    site.add_argument(
        "--templates",
        type=Path,
        default=DEFAULT_TEMPLATES,
        help="templates folder (default: the project's templates/)",
    )
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the directory of participatory-democracy actors into a static site.",
    )
    commands = parser.add_subparsers(dest="command")
    build_cmd = commands.add_parser(
        "build", parents=[common, site], help="validate and build the site (the default)"
    )
    build_cmd.add_argument(
        "--output", type=Path, default=Path("output"), help="output folder (default: output)"
    )
    build_cmd.add_argument(
        "--verify",
        action="store_true",
        help="look at every file of the output folder and make again those edited or deleted "
        "by hand (a plain build trusts what the last one wrote)",
    )
    check_cmd = commands.add_parser(
        "check", parents=[common, site], help="validate only, write nothing"
    )
    check_cmd.add_argument(
        "--output",
        type=Path,
        default=Path("output"),
        help="the built site whose addresses are compared with the new ones (default: output)",
    )
    check_cmd.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how to print problems: text (default), github (annotations on the lines of a "
        "pull request) or json",
    )
    schema_cmd = commands.add_parser(
        "schema", parents=[common], help="write the editors' JSON Schema of actor files"
    )
    schema_cmd.add_argument(
        "--output",
        type=Path,
        default=SCHEMA_FILE,
        help=f"where to write it (default: {SCHEMA_FILE.relative_to(PROJECT_ROOT)})",
    )
    serve_cmd = commands.add_parser(
        "serve",
        parents=[common],
        help="preview the site: rebuild on every change and reload the browser",
    )
    serve_cmd.add_argument(
        "--templates", type=Path, default=DEFAULT_TEMPLATES, help="templates folder"
    )
    serve_cmd.add_argument(
        "--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)"
    )
    serve_cmd.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only; "
        "0.0.0.0 shows the preview to the whole network)",
    )
    new_cmd = commands.add_parser(
        "new", parents=[common], help="create the file of a new actor, every key explained"
    )
    new_cmd.add_argument("name", help="the actor's name, in quotes")
    new_cmd.add_argument(
        "--md", action="store_true", help="write NAME.md (keys, then the text) instead of .yaml"
    )
    links_cmd = commands.add_parser(
        "links",
        parents=[common],
        help="list the external links of the built site; --check asks each one (network)",
    )
    links_cmd.add_argument(
        "--output", type=Path, default=Path("output"), help="the built site (default: output)"
    )
    links_cmd.add_argument(
        "--base-url", help="the site's own address, not listed (default: from site.yaml)"
    )
    links_cmd.add_argument("--check", action="store_true", help="ask every address (HEAD/GET)")
    links_cmd.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for each (default: 10)"
    )
    fmt_cmd = commands.add_parser(
        "fmt",
        parents=[common],
        help="rewrite actor files in their canonical form (key order, |- texts), values unchanged",
    )
    fmt_cmd.add_argument(
        "files", nargs="*", type=Path, help="actor files (default: every file of content/actors)"
    )
    fmt_cmd.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    args = _parser().parse_args(argv)
    if getattr(args, "base_url", None) is not None:
        normalized = normalize_base_url(args.base_url)
        if normalized is None:
            _parser().error(
                _(
                    "--base-url {url} is not a full http(s) address, "
                    "e.g. https://example.org/annuaire/"
                ).format(url=args.base_url)
            )
        args.base_url = normalized
    if not args.content.is_dir():
        _parser().error(_("--content {folder}: no such folder").format(folder=args.content))
    return args
