"""The user-interface text of the pages, one table per language (templates read `t.<key>`)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "skip_to_content": "Aller au contenu",
        "main_navigation": "Navigation principale",
        "nav_catalogue": "Tous les acteurs",
        "nav_territories": "Territoires",
        "nav_contexts": "Contextes",
        "breadcrumb": "Fil d'Ariane",
        "home": "Accueil",
        "actors_count_one": "acteur",
        "actors_count_many": "acteurs",
        "catalogue_heading": "Les acteurs de la participation",
        "alphabet_navigation": "Accès par lettre",
        "letter_other": "Autres",
        "profile_number": "Profil acteur",
        "legal_form": "Forme juridique",
        "services": "Description de nos services",
        "about": "Qui sommes-nous ?",
        "clients": "Accompagnements réalisés",
        "clients_intro": "Nous avons accompagné",
        "contexts": "Contexte(s) d'intervention",
        "territories": "Territoires d'intervention",
        "experiences": "Expériences",
        "commons": "Communs",
        "commons_yes": "Oui",
        "commons_no": "Non",
        "contact": "Contact",
        "website": "Site web",
        "email": "Courriel",
        "phone": "Téléphone",
        "city": "Ville",
        "updated": "Fiche mise à jour le",
        "at_a_glance": "En bref",
        "territories_title": "Territoires d'intervention",
        "territories_intro": "Les acteurs classés par territoire où ils interviennent.",
        "contexts_title": "Contextes d'intervention",
        "contexts_intro": "Les acteurs classés par thème de participation.",
        "term_actors_in_territory": "Acteurs intervenant sur le territoire",
        "term_actors_in_context": "Acteurs intervenant dans le contexte",
        "no_actors": "Aucun acteur pour le moment.",
        "not_found_title": "Page introuvable",
        "not_found_text": "La page demandée n'existe pas ou a été déplacée.",
        "not_found_back": "Retour à l'annuaire",
        "footer_text": "Annuaire des acteurs de la participation citoyenne.",
        "back_to_top": "Haut de page",
    },
}

MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}


def strings_for(language: str) -> dict[str, str]:
    return STRINGS[language]


def long_date(value, language: str) -> str:
    """26 novembre 2026."""
    day = "1er" if value.day == 1 and language == "fr" else str(value.day)
    return f"{day} {MONTHS[language][value.month - 1]} {value.year}"
