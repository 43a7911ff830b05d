"""Write a deterministic synthetic catalogue of N realistic French actor files (for benchmarks).

    python scripts/generate_catalogue.py 10000 /tmp/catalogue

creates /tmp/catalogue/{site.yaml, vocabularies.yaml, clients.yaml, actors/*.yaml|*.md}: every
key used, varied lengths (about 4.6 KB per file on average), accents and Markdown.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

FORMS = ["SCOP", "SAS", "Association loi 1901", "SCIC", "GIE", "SARL", "EURL", "Coopérative"]
PREFIXES = [
    "Atelier",
    "Agence",
    "Collectif",
    "Studio",
    "Bureau",
    "Cabinet",
    "Coopérative",
    "Réseau",
    "Maison",
    "Laboratoire",
    "Fabrique",
    "Compagnie",
]
WORDS = [
    "Concertation",
    "Dialogue",
    "Territoires",
    "Citoyens",
    "Horizons",
    "Passerelles",
    "Communs",
    "Écoute",
    "Agora",
    "Parole",
    "Médiation",
    "Écologie",
    "Quartiers",
    "Rivages",
    "Paysages",
    "Ensemble",
    "Débats",
    "Chemins",
    "Liens",
    "Ressources",
]
CITIES = [
    "Lyon",
    "Nantes",
    "Marseille",
    "Toulouse",
    "Lille",
    "Rennes",
    "Bordeaux",
    "Montpellier",
    "Strasbourg",
    "Grenoble",
    "Dijon",
    "Clermont-Ferrand",
    "Rouen",
    "Tours",
    "Nîmes",
    "Besançon",
    "Brest",
    "Angers",
    "Ajaccio",
    "Saint-Denis",
    "Fort-de-France",
]
CLIENT_KINDS = [
    "Ville de",
    "Métropole de",
    "Communauté d'agglomération de",
    "Département de",
    "Région",
    "Syndicat mixte de",
    "Parc naturel régional de",
    "Office HLM de",
]
SENTENCES = [
    "Nous concevons des démarches de participation adaptées à chaque territoire.",
    "Notre équipe anime des ateliers, des balades urbaines et des conférences citoyennes.",
    "Nous accompagnons les élus et les services dans la définition de leur stratégie.",
    "La qualité du dialogue dépend d'abord de la clarté des règles du jeu.",
    "Nous formons les agents des collectivités à l'animation de réunions publiques.",
    "Chaque projet commence par une analyse fine du contexte et des acteurs en présence.",
    "Nous privilégions des outils simples, accessibles à toutes et à tous.",
    "Les habitants sont associés dès l'amont, avant que les choix ne soient arrêtés.",
    "Nous rendons compte de chaque contribution dans un bilan public et lisible.",
    "L'évaluation fait partie de la démarche : nous mesurons ce qui a changé.",
    "Nous travaillons en réseau avec des urbanistes, des sociologues et des designers.",
    "La concertation réglementaire est l'occasion d'un vrai dialogue sur le projet.",
]
SERVICES = [
    "Stratégie de participation",
    "Concertation réglementaire",
    "Ateliers citoyens",
    "Formation des agents",
    "Budget participatif",
    "Évaluation des démarches",
    "Conférence de citoyens",
    "Médiation de conflits",
    "Plateforme numérique",
    "Diagnostic partagé",
]


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def markdown(rng: random.Random, paragraphs: int) -> str:
    parts = [paragraph(rng, rng.randint(2, 5)) for _ in range(paragraphs)]
    if rng.random() < 0.5:
        items = rng.sample(SENTENCES, 3)
        parts.insert(1, "\n".join(f"- **{i.split()[0]}** {' '.join(i.split()[1:])}" for i in items))
    return "\n\n".join(parts)


def client_name(rng: random.Random) -> str:
    return f"{rng.choice(CLIENT_KINDS)} {rng.choice(CITIES)}"


def actor(index: int, rng: random.Random, vocab: dict[str, list[str]]) -> dict:
    name = f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} {index}"
    data = {
        "id": index,
        "name": name,
        "legal_form": rng.choice(FORMS),
        "summary": paragraph(rng, 2)[:280],
        "website": f"https://www.acteur-{index}.exemple.fr",
        "email": f"contact@acteur-{index}.exemple.fr",
        "phone": f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
        "city": rng.choice(CITIES),
        "services": [
            {
                "title": title,
                "tagline": rng.choice(SENTENCES),
                "description": markdown(rng, rng.randint(1, 2)),
            }
            for title in rng.sample(SERVICES, rng.randint(1, 3))
        ],
        "clients": sorted({client_name(rng) for _ in range(rng.randint(2, 8))}),
        "contexts": rng.sample(vocab["contexts"], rng.randint(1, 3)),
        "territories": rng.sample(vocab["territories"], rng.randint(1, 3)),
        "experiences": [
            {
                "client": client_name(rng),
                "title": rng.choice(SERVICES),
                "description": markdown(rng, rng.randint(1, 2)),
            }
            for _ in range(rng.randint(0, 3))
        ],
        "commons": rng.random() < 0.4,
        "updated": f"202{rng.randint(4, 6)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
    }
    return data


def write_catalogue(count: int, target: Path, seed: int = 293) -> None:
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "actors").mkdir(parents=True)
    for name in ("vocabularies.yaml", "site.yaml", "clients.yaml"):
        shutil.copy(ROOT / "content" / name, target / name)
    vocabularies = yaml.safe_load((target / "vocabularies.yaml").read_text(encoding="utf-8"))
    vocab = {k: [t["label"] for t in v] for k, v in vocabularies.items()}
    for index in range(1, count + 1):
        data = actor(index, rng, vocab)
        about = markdown(rng, rng.randint(3, 5))
        stem = f"acteur-{index:06}"
        if index % 4 == 0:  # a quarter in the Markdown form
            front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            text = f"---\n{front}---\n{about}\n"
            (target / "actors" / f"{stem}.md").write_text(text, encoding="utf-8")
        else:
            data["about"] = about
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
            (target / "actors" / f"{stem}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=293)
    args = parser.parse_args()
    write_catalogue(args.count, args.target, args.seed)


if __name__ == "__main__":
    main()
