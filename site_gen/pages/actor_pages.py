"""The pages of one actor: its profile, its JSON record, its logo, and the redirects from
its id and its aliases to its profile."""

from __future__ import annotations

from functools import partial

from site_gen.content.model import Actor
from site_gen.pages import routes
from site_gen.pages.cms import edit_url
from site_gen.pages.exports import json_ld
from site_gen.pages.planner_base import PlannerBase
from site_gen.pages.strings import long_date
from site_gen.pages.views import Card, Link, LogoView, Page, Profile, Section
from site_gen.text import client_key


class ActorPages(PlannerBase):
    """The planner's part that makes each actor's own pages."""

    def profile_context(self, actor: Actor, related: tuple[Card, ...]) -> dict:
        """What profile.html sees; built when the page is rendered (in a worker)."""
        url = self.absolute(routes.actor(actor.slug))
        logo_route = self.logo_route(actor)
        logo_url = self.absolute(logo_route) if logo_route else ""
        html = self.derived.html(actor.id)
        profile = Profile(
            actor=actor,
            services=tuple(
                Section(s.title, s.tagline, description)
                for s, description in zip(actor.services, html.services, strict=True)
            ),
            experiences=tuple(
                Section(
                    e.client,
                    e.title,
                    description,
                    self.url(routes.client(client_key(self.canonical(e.client)))),
                )
                for e, description in zip(actor.experiences, html.experiences, strict=True)
            ),
            about_html=html.about,
            clients=tuple(
                Link(name, self.url(routes.client(client_key(self.canonical(name)))))
                for name in actor.clients
            ),
            territories=self.term_links(actor.territories),
            contexts=self.term_links(actor.contexts),
            related=related,
            updated_text=long_date(actor.updated, self.settings.language) if actor.updated else "",
            logo=(
                LogoView(self.url(logo_route), actor.logo.width, actor.logo.height)
                if actor.logo
                else None
            ),
            json_url=self.url(routes.actor_json(actor.slug)),
            json_ld=json_ld(actor, url, logo_url),
            edit_url=edit_url(self.settings, actor.source),
            phone_url=tel_url(actor.phone),
            client_types=tuple(self.client_type_of(name) for name in actor.clients),
            toc=self.toc(actor, bool(html.about)),
        )
        return {
            "profile": profile,
            "description": actor.summary,
            "og_type": "profile",
            "og_image": logo_url,
        }

    def client_type_of(self, name: str) -> str:
        """The label of the type clients.yaml gives the client of this name, or ""."""
        key = client_key(self.canonical(name))
        found = self.catalogue.client_aliases.type_by_key.get(key)
        return found.label if found else ""

    def toc(self, actor: Actor, has_about: bool) -> tuple[Link, ...]:
        """The sections of a profile long enough to want a table of contents: three
        sections or more, or four services and experiences or more."""
        present = (
            ("services", "services", bool(actor.services)),
            ("about", "qui-sommes-nous", has_about),
            ("clients", "accompagnements", bool(actor.clients)),
            ("experiences", "experiences", bool(actor.experiences)),
        )
        links = tuple(Link(self.t[key], f"#{anchor}") for key, anchor, shown in present if shown)
        long = len(links) >= 3 or len(actor.services) + len(actor.experiences) >= 4
        return links if long and len(links) > 1 else ()

    def actor_json(self, actor: Actor) -> bytes:
        return self.derived.json(actor.id)

    def profile(self, actor: Actor) -> Page:
        related = tuple(self.card(a) for a in self.index.related(actor))
        return Page(
            routes.actor(actor.slug),
            "profile.html",
            actor.name,
            lazy=partial(self.profile_context, actor, related),
            lastmod=lastmod(actor),
            source=actor.source,
            source_line=actor.lines.get("slug"),
        )

    def actor_pages(self, actor: Actor) -> list[Page]:
        route = routes.actor(actor.slug)
        logo_route = self.logo_route(actor)
        pages = [
            self.profile(actor),
            Page(
                routes.actor_json(actor.slug),
                None,
                actor.name,
                in_sitemap=False,
                lazy=partial(self.actor_json, actor),
                source=actor.source,
                source_line=actor.lines.get("slug"),
            ),
        ]
        if actor.logo:
            pages.append(
                Page(
                    logo_route,
                    None,
                    "",
                    data=actor.logo.data,
                    in_sitemap=False,
                    source=actor.source,
                    source_line=actor.lines.get("logo"),
                )
            )
        redirects = [(routes.actor_by_id(actor.id), actor.lines.get("id"))]
        redirects += [(routes.actor(alias), actor.lines.get("aliases")) for alias in actor.aliases]
        for redirect_route, line in redirects:
            pages.append(
                Page(
                    redirect_route,
                    "redirect.html",
                    actor.name,
                    in_sitemap=False,
                    context={"target": self.url(route), "target_absolute": self.absolute(route)},
                    source=actor.source,
                    source_line=line,
                )
            )
        return pages

    def canonical(self, name: str) -> str:
        return self.catalogue.client_aliases.canonical_by_key.get(client_key(name), name)


def tel_url(phone: str) -> str:
    """A tel: link of the number as written ("01 23 45 67 89" → tel:0123456789), its
    leading + kept; "" when it holds no digit."""
    digits = "".join(c for c in phone if c.isdigit())
    if not digits:
        return ""
    return "tel:" + ("+" if phone.strip().startswith("+") else "") + digits


def lastmod(actor: Actor) -> str:
    """The date of the last change of an actor's profile, as the sitemap gives it."""
    return actor.updated.isoformat() if actor.updated else ""
