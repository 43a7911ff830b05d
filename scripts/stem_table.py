"""Write tests/data/stems-fr.json: French words and their Snowball stems, from PyPI's
snowballstemmer, the table that tests/test_stemmer.py checks the page's stemmer
(templates/static/stemmer-fr.js) against.

    python scripts/stem_table.py

The words: the sample catalogue's terms (folded, as the search index holds them) and a list
of word forms of the catalogue's themes, with and without accents.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import snowballstemmer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from site_gen.content.load import load_catalogue  # noqa: E402
from site_gen.pages.search_record import fold, record  # noqa: E402

TABLE = ROOT / "tests/data/stems-fr.json"
FORMS = (  # noqa: SIM905
    "participer participe participé participée participées participation participations "
    "participatif participative participatifs participatives participant participante "
    "participants cartographier cartographie cartographies cartographique cartographiques "
    "concerter concertation concertations concerté concertée citoyen citoyenne citoyens "
    "citoyennes citoyenneté démocratie démocratique démocratiques délibérer délibération "
    "délibératif délibérative animer animation animations animateur animatrice animatrices "
    "habitant habitante habitants habitantes quartier quartiers territoire territoires "
    "territorial territoriale territoriaux accompagner accompagnement accompagné "
    "mobiliser mobilisation mobilisé mobilisées jeunesse jeunes élu élue élus élues "
    "rénovation rénover urbain urbaine urbains urbanisme aménagement aménager public "
    "publique publics publiques numérique numériques facilitation facilitateur "
    "facilitatrice écologie écologique environnement environnemental environnementale "
    "heureux heureuse heureusement activité activités actif active actives évaluer "
    "évaluation évaluations budget budgets budgétaire conseil conseils conseiller "
    "conseillère formation formations former formateur formatrice enquête enquêtes "
    "atelier ateliers médiation médiateur médiatrice coopérative coopératives "
    "coopération coopérer eaux eau yeux œuvre œuvres cœur sœur naïf naïve noël "
    "montpellier cévennes lozère île-de-france auvergne-rhône-alpes grand-est "
    "collectivité collectivités intercommunalité métropole métropoles commune communes "
    "communal communale rural rurale ruraux ruralité gouvernance partagée partager "
    "concevoir conception co-construction construire construit construite constructif"
).split()


def words() -> list[str]:
    settings, catalogue = load_catalogue(ROOT / "content")
    found = {fold(form) for form in FORMS} | set(FORMS)
    for actor in catalogue.actors:
        for terms in record(settings, actor)["terms"]:
            found.update(terms.split())
    return sorted(found)


def main() -> None:
    stemmer = snowballstemmer.stemmer("french")
    table = {word: stemmer.stemWord(word) for word in words()}
    TABLE.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"{TABLE.relative_to(ROOT)}: {len(table)} words")


if __name__ == "__main__":
    main()
