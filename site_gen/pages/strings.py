"""The user-interface text of the pages, one table per language (templates read `t.<key>`)."""

from __future__ import annotations

from functools import cache

from site_gen.typography import french

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
        "profile_number": "Fiche",
        "legal_form": "Forme juridique",
        "services": "Description de nos services",
        "about": "Qui sommes-nous ?",
        "clients": "Accompagnements réalisés",
        "clients_intro": "Nous avons accompagné",
        "contexts": "Contextes d'intervention",
        "territories": "Territoires d'intervention",
        "experiences": "Expériences",
        "commons": "Contribution aux communs",
        "profile_toc": "Sur cette page",
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
        "search_field_service": "Service « {label} » :",
        "search_field_experience": "Expérience avec {label} :",
        "search_field_clients": "Clients :",
        "search_field_about": "Présentation :",
        "search_without_word": "Sans le mot « {word} »",
        "search_without_filter": "Sans le filtre « {value} »",
        "search_without_words": "Sans aucun des mots",
        "search_ways_out": "Pour élargir la recherche, suivez une des suggestions ci-dessous.",
        "search_approximate": "Orthographe approchante pour : {words}.",
        "facet_territory": "Territoire",
        "facet_context": "Contexte",
        "facet_commons": "Communs",
        "letter_title": "Acteurs à la lettre",
        "page": "page",
        "pagination": "Pagination",
        "pagination_previous": "Page précédente",
        "pagination_next": "Page suivante",
        "pagination_page": "Page",
        "page_of": "Page {number} sur {count}",
        "refine_by_context": "Affiner par contexte d'intervention",
        "refine_by_territory": "Affiner par territoire",
        "pair_description": "Acteurs intervenant en",
        "pair_eyebrow": "Territoire et contexte",
        "clients_title": "Clients accompagnés",
        "clients_intro_page": "Les structures accompagnées par les acteurs de l'annuaire, "
        "de la plus citée à la moins citée : qui a travaillé avec qui.",
        "client_description": "Acteurs ayant accompagné",
        "clients_untyped": "Autres clients",
        "clients_by_type": "Qui a déjà travaillé avec…",
        "clients_filter": "Filtrer les clients",
        "clients_filter_hint": "Tapez une partie du nom : la liste se réduit à mesure.",
        "clients_filter_none": "Aucun client de cette page ne correspond.",
        "client_type_title": "Acteurs ayant travaillé avec :",
        "client_type_description": "Acteurs ayant déjà accompagné une structure de type",
        "client_type_eyebrow": "Type de client",
        "client_type_clients": "Les structures de ce type",
        "client_eyebrow": "Client",
        "client_worked_with": "Acteurs ayant travaillé avec cette structure",
        "related": "Acteurs proches",
        "related_intro": "Ils partagent des clients, des contextes ou des territoires.",
        "profile_data": "Cette fiche en données ouvertes (JSON)",
        "edit_profile": "Modifier cette fiche",
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
        "data_date": "Date des données (la fiche la plus récemment mise à jour) :",
        "data_feed": "Les dernières fiches mises à jour sont aussi publiées dans un flux Atom :",
        "feed_title": "Fiches récemment mises à jour",
        "redirect_text": "Cette fiche a changé d'adresse :",
        "chooser_heading": "Qui intervient où, et sur quoi ?",
        "chooser_where": "Où ?",
        "chooser_what": "Sur quoi ?",
        "chooser_any_territory": "Tous les territoires",
        "chooser_any_context": "Tous les contextes",
        "chooser_submit": "Voir les acteurs",
        "chooser_count_one": "acteur",
        "chooser_count_many": "acteurs",
        "choose_title": "Territoires et contextes",
        "choose_intro": "Chaque territoire, avec les contextes d'intervention où des acteurs "
        "interviennent : choisissez-en un.",
        "choose_all_territory": "Tous les acteurs du territoire",
        "choose_none": "Aucun acteur pour le moment.",
        "choose_contexts": "Par contexte d'intervention, sur tous les territoires",
        "map_heading": "Les acteurs par région",
        "map_label": "Carte des régions de France : nombre d'acteurs par région",
        "map_locator_label": "Carte des régions de France",
        "map_legend": "Nombre d'acteurs",
        "map_table_caption": "Nombre d'acteurs par territoire (les mêmes chiffres que la carte)",
        "map_col_territory": "Territoire",
        "map_col_count": "Acteurs",
        "map_beyond": "Au-delà des régions",
        "all_actors_heading": "Tous les acteurs, de A à Z",
        "about_title": "À propos",
        "propose_title": "Proposer une fiche ou signaler une erreur",
        "legal_title": "Mentions légales",
        "accessibility_title": "Déclaration d'accessibilité",
        "accessibility": "Accessibilité",
        "accessibility_non": "non conforme",
        "accessibility_partiellement": "partiellement conforme",
        "accessibility_totalement": "totalement conforme",
        "not_given": "non renseigné",
        "info_publisher": "Éditeur",
        "info_director": "Direction de la publication",
        "info_host": "Hébergeur",
        "info_contact": "Contact",
        "info_data_licence": "Licence des données",
        "info_credits": "Crédits",
        "propose_how": "Pour proposer la fiche d'un acteur, ou signaler une erreur dans une "
        "fiche, écrivez-nous en indiquant l'adresse de la fiche concernée :",
        "propose_no_contact": "L'adresse de contact n'est pas encore renseignée.",
        "a11y_commitment": "s'engage à rendre ses sites internet accessibles conformément à "
        "l'article 47 de la loi n° 2005-102 du 11 février 2005.",
        "a11y_applies": "Cette déclaration d'accessibilité s'applique au site",
        "a11y_status_heading": "État de conformité",
        "a11y_status_text": "Ce site est {status} avec le référentiel général d'amélioration "
        "de l'accessibilité (RGAA), version 4.1.",
        "a11y_status_reason_non": "Aucun audit de conformité n'a encore été réalisé ; les pages "
        "sont vérifiées à chaque version par des tests automatiques (axe-core), au clavier et "
        "sans JavaScript.",
        "a11y_status_reason_partiellement": "Un audit a relevé des non-conformités, décrites "
        "ci-dessous.",
        "a11y_status_reason_totalement": "Un audit a établi que toutes les pages respectent les "
        "critères du RGAA.",
        "a11y_content_heading": "Contenus non accessibles",
        "a11y_content_none": "Aucun contenu non accessible n'est connu à ce jour.",
        "a11y_made_heading": "Établissement de cette déclaration",
        "a11y_made_on": "Cette déclaration a été établie le",
        "a11y_technologies": "Technologies utilisées : HTML5, CSS, SVG ; JavaScript seulement "
        "pour des fonctions facultatives (recherche plein texte, sélecteur de l'accueil, filtre "
        "des clients).",
        "a11y_alternative": "La carte des régions a pour alternative le tableau des mêmes "
        "chiffres placé à côté d'elle.",
        "a11y_feedback_heading": "Retour d'information et contact",
        "a11y_feedback_text": "Si vous n'arrivez pas à accéder à un contenu ou à un service, "
        "contactez-nous pour être orienté vers une alternative accessible ou obtenir le "
        "contenu sous une autre forme :",
        "a11y_recourse_heading": "Voies de recours",
        "a11y_recourse_text": "Si vous constatez un défaut d'accessibilité vous empêchant "
        "d'accéder à un contenu ou à une fonctionnalité du site, que vous nous le signalez et "
        "que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de "
        "faire parvenir vos doléances ou une demande de saisine au Défenseur des droits :",
        "a11y_recourse_form": "écrire un message au Défenseur des droits (formulaire en ligne sur "
        "formulaire.defenseurdesdroits.fr) ;",
        "a11y_recourse_delegate": "contacter le délégué du Défenseur des droits dans votre "
        "région (liste sur defenseurdesdroits.fr) ;",
        "a11y_recourse_mail": "envoyer un courrier par la poste (gratuit, ne pas mettre de "
        "timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
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


@cache
def strings_for(language: str) -> dict[str, str]:
    """The strings of `language`, with French typography (typography.py)."""
    return {key: french(value) for key, value in STRINGS[language].items()}


def long_date(value, language: str) -> str:
    """26 novembre 2026."""
    day = "1er" if value.day == 1 and language == "fr" else str(value.day)
    return f"{day} {MONTHS[language][value.month - 1]} {value.year}"
