"""The pages a public service owes its readers, linked from every page's footer: who
publishes the directory, how to propose a profile or report an error, the legal notice
and the accessibility statement (RGAA's model, filled from the settings). Each shows the
Markdown of its file in content/pages/ (info_texts.py), if any, with what settings say."""

from __future__ import annotations

from site_gen.content.markdown import MarkdownRenderer
from site_gen.pages import routes
from site_gen.pages.planner_base import PlannerBase
from site_gen.pages.regions_map import CREDIT
from site_gen.pages.views import Page

_TITLES = {
    "a-propos": "about_title",
    "proposer": "propose_title",
    "mentions-legales": "legal_title",
    "accessibilite": "accessibility_title",
}


_TOP = {"accessibilite": 2}


class InfoPages(PlannerBase):
    """The planner's part that makes the pages of the footer."""

    def info_pages(self) -> list[Page]:
        texts = dict(self.catalogue.texts)
        markdown = MarkdownRenderer()
        return [
            Page(
                route,
                "info.html",
                self.t[_TITLES[name]],
                "",
                {
                    "kind": name,
                    # "## …" in the file is a section of the page (h2); the
                    # accessibility statement shows its file under a heading of its own
                    "body": markdown.render(texts.get(name, ""), top_heading=_TOP.get(name, 1)),
                    "site_url": self.settings.base_url,
                    "map_credit": CREDIT,
                },
            )
            for name, route in routes.INFO_PAGES.items()
        ]
