"""Command line: run the command asked (the pipeline for build and check), turn errors into
messages and exit codes. Its arguments are read by cli_args.py.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from site_gen import i18n
from site_gen.build.options import BuildOptions, BuildReport, Inputs, up_to_date
from site_gen.cli.arguments import parse_args
from site_gen.errors import ContentError, SiteGenError, UsageError, display_path
from site_gen.formats import render
from site_gen.i18n import _, ngettext

# `language:` of site.yaml, read without loading YAML: a build with nothing to do stays quick
_LANGUAGE_SETTING = re.compile(r"^language:[ \t]*[\"']?([a-z]{2})[\"']?[ \t]*(#.*)?$", re.M)


def messages_language(args: argparse.Namespace) -> str:
    """`--lang`, else the site's `language` setting when messages exist in it, else French."""
    if getattr(args, "lang", None):
        return args.lang
    try:
        text = (args.content / "site.yaml").read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return i18n.DEFAULT_LANGUAGE
    found = _LANGUAGE_SETTING.search(text)
    if found and found[1] in i18n.LANGUAGES:
        return found[1]
    return i18n.DEFAULT_LANGUAGE


def schema_text(content_dir: Path) -> str:
    """The JSON Schema as committed in the repository (vocabularies from `content_dir`)."""
    from site_gen.content.load import VOCABULARY_FILE, load_vocabularies
    from site_gen.content.schema import json_schema_text

    problems: list = []
    vocabularies = load_vocabularies(content_dir / VOCABULARY_FILE, problems)
    if problems:
        raise ContentError(problems)
    return json_schema_text(vocabularies.labels()).decode("utf-8")


def create_actor(args: argparse.Namespace) -> int:
    from site_gen.content.scaffold import (
        new_actor,  # each command imports what only it needs: builds start fast
    )

    new = new_actor(args.content, args.name, markdown=args.md)
    new.path.parent.mkdir(exist_ok=True)
    try:
        with new.path.open("x", encoding="utf-8") as file:  # "x": never overwrite
            file.write(new.text)
    except FileExistsError:
        raise UsageError(
            _("{path} already exists; refusing to overwrite it").format(path=new.path)
        ) from None
    print(
        _("Created {path} (id {id}): fill it in, then run `make check`.").format(
            path=display_path(new.path), id=new.id
        )
    )
    return 0


def list_links(args: argparse.Namespace) -> int:
    """The external links of the built site with their pages; with --check, the failing ones."""
    from site_gen.cli.external_links import check_links, external_links  # HTTP client: links only
    from site_gen.content.load import load_settings

    problems: list = []
    settings = load_settings(args.content, problems, args.base_url)
    if problems:
        raise ContentError(problems)
    links = external_links(args.output, settings.base_url)
    pages = {page for names in links.values() for page in names}
    if not args.check:
        for url, names in links.items():
            print(url + "".join(f"\n    {name}" for name in names))
        print(
            _("{links} external link(s) on {pages} page(s).").format(
                links=len(links), pages=len(pages)
            )
        )
        return 0
    failed = [status for status in check_links(links, args.timeout) if not status.ok]
    for status in failed:
        pages_of = "".join(
            "\n    " + _("on {page}").format(page=name) for name in links[status.url]
        )
        print(f"{status.url}: {status.detail}{pages_of}")
    print(
        _("{links} external link(s) checked: {failed} failed.").format(
            links=len(links), failed=len(failed)
        )
    )
    return 1 if failed else 0


def format_files(args: argparse.Namespace) -> int:
    """`fmt`: each actor file rewritten in its canonical form (canonical.py)."""
    from site_gen.content.canonical import canonical

    files = args.files or sorted(
        p for p in (args.content / "actors").glob("*") if p.suffix in (".yaml", ".md")
    )
    problems: list = []
    changed = []
    for path in files:
        text = canonical(path, problems)
        if text is not None and text != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if problems:
        print(render(problems, "text"), file=sys.stderr)
    for path in changed:
        line = _("would rewrite {path}") if args.check else _("rewrote {path}")
        print(line.format(path=display_path(path)))
    print(
        _("{files} file(s): {changed} to rewrite, {kept} left as they are.").format(
            files=len(files), changed=len(changed), kept=len(problems)
        )
    )
    return 1 if args.check and changed else 0


def in_ci() -> bool:
    """Whether this runs in CI: the CI variable set, as GitHub Actions, GitLab CI and the
    others set it (to true, or 1)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def build_if_changed(options: BuildOptions) -> BuildReport:
    """A build, or its last report at once when nothing changed since (the pipeline's
    heavy modules are imported only when there is work to do)."""
    inputs = Inputs.of(options, None)
    if (report := up_to_date(options, inputs.digest)) is not None:
        return report
    from site_gen.build.pipeline import build

    return build(options, inputs)


def run(args: argparse.Namespace) -> int:
    if args.command == "links":
        return list_links(args)
    if args.command == "fmt":
        return format_files(args)
    if args.command == "serve":
        from site_gen.preview.serve import serve

        return serve(args.content, args.templates, args.host, args.port)
    if args.command == "new":
        return create_actor(args)
    if args.command == "schema":
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(schema_text(args.content), encoding="utf-8")
        print(_("Wrote {path}").format(path=args.output))
        return 0
    options = BuildOptions(
        content_dir=args.content,
        templates_dir=args.templates,
        output_dir=getattr(args, "output", Path("output")),
        base_url=args.base_url,
        write=args.command == "build",
        verify=getattr(args, "verify", False),
        prepare_next=not in_ci(),
    )
    report = build_if_changed(options)
    machine_format = getattr(args, "format", "text") != "text"
    if machine_format and (text := render(report.warnings, args.format)):
        print(text)
    elif report.warnings:
        group = getattr(args, "warnings", "grouped") == "grouped"
        print(render(report.warnings, "text", group), file=sys.stderr)
    if report.warnings:
        count = len(report.warnings)
        print(
            ngettext(
                "{count} warning: worth a look, not an error.",
                "{count} warnings: worth a look, not errors.",
                count,
            ).format(count=count),
            file=sys.stderr,
        )
    print(summary_line(report, options), file=sys.stderr if machine_format else sys.stdout)
    if args.timings:
        print(
            "  ".join(f"{stage} {seconds:.2f} s" for stage, seconds, _peak in report.timings),
            "\n" + _("peak memory of this process (MB) by the end of:"),
            "  ".join(f"{stage} {peak}" for stage, _seconds, peak in report.timings),
        )
    return 0


def summary_line(report: BuildReport, options: BuildOptions) -> str:
    """The last line of a build or a check: what was done, in how long."""
    values = {
        "actors": report.actors,
        "pages": report.pages,
        "rendered": report.rendered,
        "files": report.files,
        "output": options.output_dir,
        "seconds": f"{report.seconds:.2f}",
    }
    if options.write and report.up_to_date:
        text = _(
            "Up to date: {actors} actors, {pages} pages, nothing changed since the last "
            "build of {output}/ ({seconds} s)"
        )
    elif options.write and report.rendered == report.pages:
        text = _(
            "Built {actors} actors: {pages} pages ({rendered} rendered), {files} files in "
            "{output}/ in {seconds} s"
        )
    elif options.write:
        text = _(
            "Built {actors} actors: {pages} pages ({rendered} rendered, the others unchanged), "
            "{files} files in {output}/ in {seconds} s"
        )
    else:
        text = _(
            "Checked {actors} actors: no problems ({pages} pages would be built) in {seconds} s"
        )
    return text.format(**values)


def quick_exit(status: int) -> None:
    """Exit without tearing down the build's objects one by one (a second at 10,000
    actors): the operating system takes the memory back at once. Output is flushed first."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def entry() -> None:
    """The `site-gen` command."""
    quick_exit(main())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    i18n.activate(messages_language(args))
    try:
        return run(args)
    except ContentError as error:
        if getattr(args, "format", "text") == "text":
            group = getattr(args, "warnings", "grouped") == "grouped"
            print(render(error.problems, "text", group), file=sys.stderr)
        else:
            print(render(error.problems, args.format))
        count = len(error.problems)
        print(
            ngettext(
                "{count} problem found; nothing was written.",
                "{count} problems found; nothing was written.",
                count,
            ).format(count=count),
            file=sys.stderr,
        )
        if args.verbose:
            raise
        return error.exit_status
    except (SiteGenError, OSError) as error:
        if args.verbose:
            raise
        print(_("error: {reason}").format(reason=error), file=sys.stderr)
        return error.exit_status if isinstance(error, SiteGenError) else 1
    except KeyboardInterrupt:
        print(_("interrupted; nothing was written"), file=sys.stderr)
        return 130
