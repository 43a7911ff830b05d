from site_gen.text import fold, initial, nearest, slugify, sort_key


def test_french_order_folds_accents_and_case():
    names = ["Zèbre", "écologie", "Écoute", "Eau", "agence", "Ébène", "Œuvre", "Oasis"]
    assert sorted(names, key=sort_key) == [
        "agence",
        "Eau",
        "Ébène",
        "écologie",
        "Écoute",
        "Oasis",
        "Œuvre",
        "Zèbre",
    ]


def test_initial_files_accented_names_under_their_letter():
    assert initial("Écologie & Territoires") == "E"
    assert initial("« Île » de France") == "I"
    assert initial("3 Pas de Côté") == "#"


def test_fold_removes_ligatures_and_accents():
    assert fold("Cœur d'Île-de-France") == "coeur d'ile-de-france"


def test_fold_removes_the_combining_marks_of_every_script():
    assert fold("Ǹguyễn Çà") == "nguyen ca"
    assert fold("שׁלום") == "שלום"  # the shin dot, a mark of Hebrew
    assert fold("ÅNGSTRÖM Ω") == "angstrom ω"
    assert fold("e\u034f") == "e\u034f"  # the grapheme joiner is no mark of a letter


def test_sort_keys_ignore_punctuation_but_not_letters_of_other_scripts():
    assert sort_key("« L’Atelier_Été » !")[0] == "latelierete"
    assert sort_key("Ωmega 2")[0] == "ωmega 2"


def test_slugify_gives_ascii_words_with_hyphens():
    assert slugify("Écologie & Territoires") == "ecologie-territoires"
    assert slugify("L'Œil du Citoyen") == "l-oeil-du-citoyen"
    assert slugify("../../etc/passwd") == "etc-passwd"


def test_nearest_suggests_a_term_from_one_of_its_words():
    labels = ["Urbanisme et aménagement", "Santé", "Énergie"]
    assert nearest("Urbanism", labels) == "Urbanisme et aménagement"
    assert nearest("energie", labels) == "Énergie"
    assert nearest("Astronautique", labels) is None
