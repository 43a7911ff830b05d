"""The catalogue as frozen data: what loading produces and page building reads. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Term:
    """A term of a vocabulary (a territory or a context)."""

    vocabulary: str  # "territories" or "contexts"
    label: str
    slug: str


@dataclass(frozen=True)
class Vocabularies:
    territories: tuple[Term, ...]
    contexts: tuple[Term, ...]
    client_types: tuple[Term, ...] = ()  # what content/clients.yaml may say a client is

    def terms(self, vocabulary: str) -> tuple[Term, ...]:
        return getattr(self, vocabulary)

    def labels(self) -> dict[str, list[str]]:
        return {name: [t.label for t in self.terms(name)] for name in ("territories", "contexts")}


@dataclass(frozen=True)
class Service:
    title: str
    tagline: str = ""
    description: str = ""  # Markdown source


@dataclass(frozen=True)
class Experience:
    client: str
    title: str = ""
    description: str = ""  # Markdown source


@dataclass(frozen=True)
class Logo:
    """An actor's logo image, checked: real type, size in pixels, content digest."""

    source: str  # path relative to the content folder, as written in the actor file
    extension: str
    width: int
    height: int
    digest: str
    data: bytes = field(compare=False, repr=False)


@dataclass(frozen=True)
class Actor:
    """One actor of the catalogue, as its file describes it (Markdown still as source)."""

    id: int
    name: str
    slug: str
    source: str  # the file it came from, for messages
    legal_form: str = ""
    summary: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    city: str = ""
    services: tuple[Service, ...] = ()
    about: str = ""
    clients: tuple[str, ...] = ()
    contexts: tuple[Term, ...] = ()
    territories: tuple[Term, ...] = ()
    experiences: tuple[Experience, ...] = ()
    commons: bool | None = None
    updated: date | None = None
    logo: Logo | None = None
    aliases: tuple[str, ...] = ()  # former slugs, redirected to the profile
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each top-level key in the source file, for messages about this actor."""
    digest: str = field(default="", compare=False, repr=False)
    """A digest of every other field (set when loaded): stands for the actor in page keys."""
    has_texts: bool = field(default=True, compare=False, repr=False)
    """False once `without_texts` dropped the Markdown: the digest is still the whole
    actor's, but its HTML can no longer be made from it (derived.py)."""

    def without_texts(self) -> Actor:
        """This actor without its Markdown (about, the descriptions of services and
        experiences), most of its size: all that pages read once each actor's Markdown
        is made into HTML (derived.py). Keeps the digest of the whole actor."""
        if not self.has_texts:
            return self
        return replace(
            self,
            about="",
            services=tuple(replace(s, description="") for s in self.services),
            experiences=tuple(replace(e, description="") for e in self.experiences),
            has_texts=False,
        )


@dataclass(frozen=True)
class ClientAliases:
    """Spellings of one client's name merged under a canonical name, and what the client
    is and where (content/clients.yaml)."""

    canonical_by_key: dict[str, str] = field(default_factory=dict)  # client_key → canonical
    type_by_key: dict[str, Term] = field(default_factory=dict)  # client_key → its type
    territory_by_key: dict[str, Term] = field(default_factory=dict)  # client_key → territory
    listed: bool = False  # the file lists its clients under `clients:` (the web editor's form)


@dataclass(frozen=True)
class Catalogue:
    """Every actor, in French alphabetical order, with the vocabularies they refer to."""

    actors: tuple[Actor, ...]
    vocabularies: Vocabularies
    client_aliases: ClientAliases = field(default_factory=ClientAliases)
    texts: tuple[tuple[str, str], ...] = ()  # (name, Markdown) of content/pages/ (info_texts)
