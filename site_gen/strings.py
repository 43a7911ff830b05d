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
        "nav_clients": "Clients",
        "nav_data": "Données",
        "nav_search": "Recherche",
        "search_label": "Rechercher un acteur",
        "search_placeholder": "Nom, thème, ville…",
        "search_button": "Rechercher",
        "search_title": "Rechercher un acteur",
        "search_intro": "Cherchez dans toutes les fiches, puis affinez par territoire, "
        "contexte d'intervention ou contribution aux communs.",
        "search_noscript": "La recherche plein texte a besoin de JavaScript. Sans JavaScript, "
        "parcourez les acteurs par territoire ou par contexte d'intervention :",
        "search_filters": "Affiner les résultats",
        "search_results": "Résultats",
        "search_loading": "Chargement de la recherche…",
        "search_unavailable": "La recherche n'est pas disponible pour le moment.",
        "search_results_none": "Aucun acteur ne correspond à cette recherche.",
        "search_results_one": "1 acteur trouvé",
        "search_results_many": "{count} acteurs trouvés",
        "search_clear": "Effacer les filtres",
        "search_skip": "Aller aux résultats",
        "search_more": "Afficher plus de résultats",
        "facet_territory": "Territoire",
        "facet_context": "Contexte",
        "facet_commons": "Communs",
        "letter_title": "Acteurs à la lettre",
        "page": "page",
        "pagination": "Pagination",
        "pagination_previous": "Page précédente",
        "pagination_next": "Page suivante",
        "pagination_page": "Page",
        "refine_by_context": "Affiner par contexte d'intervention",
        "refine_by_territory": "Affiner par territoire",
        "pair_description": "Acteurs intervenant en",
        "pair_eyebrow": "Territoire et contexte",
        "clients_title": "Clients accompagnés",
        "clients_intro_page": "Les structures accompagnées par les acteurs de l'annuaire, "
        "de la plus citée à la moins citée : qui a travaillé avec qui.",
        "client_description": "Acteurs ayant accompagné",
        "client_eyebrow": "Client",
        "client_worked_with": "Acteurs ayant travaillé avec cette structure",
        "related": "Acteurs proches",
        "related_intro": "Ils partagent des clients, des contextes ou des territoires.",
        "profile_data": "Cette fiche en données ouvertes (JSON)",
        "logo_alt": "Logo de",
        "data_title": "Données ouvertes",
        "data_intro": "Toutes les fiches de l'annuaire, librement réutilisables.",
        "data_count": "Le jeu de données compte",
        "data_json": "Toutes les fiches, tous les champs ; les textes en Markdown sont fournis "
        "aussi en HTML.",
        "data_csv": "Une ligne par acteur, listes séparées par « ; », encodé en UTF-8 (avec "
        "BOM) pour s'ouvrir dans un tableur avec les accents. Une cellule qui commence par "
        "=, +, -, @ ou une tabulation est précédée d'une apostrophe, pour qu'aucun tableur ne "
        "l'exécute comme une formule ; le JSON garde le texte exact.",
        "data_schema": "Le schéma JSON qui décrit une fiche (clés, types, vocabulaires).",
        "data_profile": "Chaque fiche est aussi disponible seule, à l'adresse de la fiche "
        "suivie de .json (par exemple",
        "data_licence": "Licence",
        "data_feed": "Les dernières fiches mises à jour sont aussi publiées dans un flux Atom :",
        "feed_title": "Fiches récemment mises à jour",
        "redirect_text": "Cette fiche a changé d'adresse :",
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
