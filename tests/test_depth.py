"""Topic depth: each component moves for the reason it states (contentkit/analytics/depth.py)."""
from __future__ import annotations

import random

import pytest

from contentkit.analytics.depth import (SECTION_MIN_WORDS, WEIGHTS, DepthDoc, depth_features,
                                        score_depth, site_hosts)
from contentkit.analytics.terms import split_elision, stem, term_forms
from contentkit.text import count_words, prose_blocks

CYBER = ("sauvegarde restauration rançongiciel chiffrement authentification pare-feu "
         "vulnérabilité correctif journalisation intrusion sensibilisation annuaire").split()
FINANCE = ("trésorerie budget marge bilan créance facturation rentabilité amortissement "
           "encaissement clôture prévisionnel liquidité").split()
FILLER = ("équipe direction projet client méthode outil résultat objectif risque coût décision "
          "processus service métier usage démarche solution besoin priorité chantier contrat "
          "partenaire réunion calendrier dossier périmètre").split()
GLUE = "le la les un une des du de et à pour avec dans sur par vers chez mais donc ou".split()


def prose(rng: random.Random, words: int, vocab: list[str], topic_rate: float = 0.0,
          inserts: tuple[str, ...] = ()) -> str:
    """Sentences of random words (no 5-word sequence repeats between two calls), with the words
    of ``inserts`` at random places."""
    pool = []
    for _ in range(words):
        r = rng.random()
        pool.append(rng.choice(vocab) if r < topic_rate else
                    rng.choice(FILLER) if r < 0.6 else rng.choice(GLUE))
    for word in inserts:
        pool.insert(rng.randrange(len(pool) + 1), word)
    out, sentence = [], []
    for word in pool:
        sentence.append(word)
        if len(sentence) >= rng.randint(8, 16):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        out.append(" ".join(sentence).capitalize() + ".")
    return " ".join(out)


def doc(source: str, html: str, groups: tuple[str, ...], lang: str = "fr") -> DepthDoc:
    features = depth_features(html, lang, site_hosts("https://blog.example.com/"))
    words = sum(count_words(b.text, lang) for b in prose_blocks(html))
    return DepthDoc(source=source, lang=lang, words=words, groups=groups, features=features)


def cluster_doc(rng: random.Random, i: int, vocab: list[str], tag: str) -> DepthDoc:
    """A cluster article: every topic term mentioned twice, among 300 words of prose."""
    html = f"<p>{prose(rng, 300, vocab, inserts=tuple(vocab) * 2)}</p>"
    return doc(f"content/posts/{tag}-{i}.md", html, (f"tag:{tag}",))


def site_docs(seed: int = 1) -> list[DepthDoc]:
    rng = random.Random(seed)
    return ([cluster_doc(rng, i, CYBER, "cyber") for i in range(6)]
            + [cluster_doc(rng, i, FINANCE, "finance") for i in range(6)])


def deep_article(rng: random.Random, mentions: int = 2, stuffed: str | None = None) -> str:
    sections = []
    for k, term in enumerate(CYBER[:4]):
        inserts = (term,) * mentions
        sections.append(f"<h2>Étape {k + 1}</h2><p>{prose(rng, 120, CYBER, inserts=inserts)}</p>")
    terms = f"<p>{prose(rng, 150, FILLER, inserts=tuple(CYBER[4:]) * mentions)}</p>"
    evidence = (
        '<p>Selon <a href="https://www.anssi.gouv.fr/guide">l’ANSSI</a>, 37 % des PME ont subi '
        'une attaque en 2023 ; le coût moyen atteint 466 000 euros '
        '(<a href="https://www.cybermalveillance.gouv.fr/">étude</a>, '
        '<a href="https://www.insee.fr/fr/statistiques">Insee</a>) et 12 jours d’arrêt.</p>'
        "<blockquote><p>Une sauvegarde jamais restaurée n’est pas une sauvegarde.</p></blockquote>"
        "<table><tr><th>Mesure</th><th>Coût</th></tr><tr><td>MFA</td><td>3 €</td></tr></table>"
        '<p><a href="https://blog.example.com/autre/">un autre article du blog</a></p>')
    stuffing = f"<p>{' '.join([stuffed] * 20)}.</p>" if stuffed else ""
    return "".join(sections) + terms + evidence + stuffing


def thin_article(rng: random.Random) -> str:
    return f"<p>{prose(rng, 150, CYBER, topic_rate=0.02)}</p>"


def test_deep_article_scores_higher_for_the_reasons_its_components_give():
    rng = random.Random(7)
    docs = site_docs() + [doc("deep.md", deep_article(rng), ("tag:cyber",)),
                          doc("thin.md", thin_article(rng), ("tag:cyber",))]
    results = dict(zip((d.source for d in docs), score_depth(docs)))
    deep, thin = results["deep.md"], results["thin.md"]
    assert deep.score > thin.score + 30

    # coverage: the cluster's key terms are the cyber vocabulary; deep uses them all, twice
    assert {t["term"] for t in deep.key_terms} >= set(CYBER[:6])
    assert deep.component("coverage").value == pytest.approx(1.0)
    assert thin.component("coverage").value < 0.5
    assert thin.missing_terms and set(thin.missing_terms) <= set(CYBER)
    assert thin.component("coverage").to_improve.startswith("aborder : ")

    # sub-topics: 4 H2 sections of 120+ words vs none
    assert deep.component("subtopics").value == 4
    assert deep.component("subtopics").points == WEIGHTS["subtopics"]
    assert thin.component("subtopics").value == 0

    # evidence: 3 distinct external hosts (the blog's own link is not a source), figures, a date,
    # a block quote, a table
    counts = deep.component("evidence").details["counts"]
    assert counts["sources"] == 3
    assert deep.component("evidence").details["sources"] == [
        "anssi.gouv.fr", "cybermalveillance.gouv.fr", "insee.fr"]
    assert counts["figures"] >= 3 and counts["percentages"] == 1 and counts["dates"] >= 1
    assert counts["quotes"] == 1 and counts["tables"] == 1
    thin_counts = thin.component("evidence").details["counts"]
    assert thin_counts["sources"] == 0 and thin.component("evidence").points == 0

    # every component says what it is and what would raise it
    for r in (deep, thin):
        assert [c.name for c in r.components] == ["coverage", "subtopics", "evidence", "originality"]
        for c in r.components:
            assert c.explanation and c.to_improve and 0 <= c.points <= c.max_points
        assert r.score == round(100 * sum(c.points for c in r.components) / 100)


def test_stuffing_a_term_does_not_raise_coverage_beyond_two_mentions():
    def coverage_of(html: str):
        docs = site_docs() + [doc("a.md", html, ("tag:cyber",))]
        return score_depth(docs)[-1]

    once = coverage_of(deep_article(random.Random(3), mentions=1))
    twice = coverage_of(deep_article(random.Random(3), mentions=2))
    stuffed = coverage_of(deep_article(random.Random(3), mentions=2, stuffed="sauvegarde"))
    # the second mention counts...
    assert twice.component("coverage").value > once.component("coverage").value
    # ...the next eighteen do not
    mentions = {t["term"]: t["mentions"] for t in stuffed.key_terms}
    assert mentions["sauvegarde"] >= 20
    assert stuffed.component("coverage").value == twice.component("coverage").value
    assert stuffed.component("coverage").points == twice.component("coverage").points


def test_near_duplicate_is_flagged_with_the_other_articles_source():
    rng = random.Random(11)
    original = f"<h2>Plan</h2><p>{prose(rng, 400, CYBER, 0.1)}</p>"
    copy = original.replace("équipe", "équipes", 3)  # a light rewrite
    docs = site_docs() + [doc("content/posts/original.md", original, ("tag:cyber",)),
                          doc("content/posts/copie.md", copy, ("tag:cyber",))]
    results = dict(zip((d.source for d in docs), score_depth(docs)))
    a, b = results["content/posts/copie.md"], results["content/posts/original.md"]
    assert a.near_duplicate_of == "content/posts/original.md"
    assert b.near_duplicate_of == "content/posts/copie.md"
    assert a.most_similar["jaccard"] > 0.8
    orig = a.component("originality")
    assert orig.points < 2 and "quasi-doublon de content/posts/original.md" in orig.to_improve
    # the other articles are original
    others = [r for s, r in results.items() if "posts/cyber" in s or "posts/finance" in s]
    assert all(r.near_duplicate_of is None for r in others)
    assert all(r.component("originality").points == WEIGHTS["originality"] for r in others)


def test_french_elisions_are_split_and_inflections_conflated():
    assert split_elision("l'économie") == "économie"
    assert split_elision("qu'aujourd'hui") == "aujourd'hui"
    assert split_elision("jusqu'à") == "à"
    assert split_elision("company's") == "company"
    forms = term_forms("L'économie et l’économie d'entreprise, jusqu'à l'entreprise qu'il dirige.",
                       "fr")
    assert forms["économie"] == 2 and forms["entreprise"] == 2
    assert not [f for f in forms if "'" in f]
    assert "dirige" in forms and "il" not in forms and "et" not in forms
    assert stem("données", "fr") == stem("donnée", "fr")
    assert stem("prévisions", "fr") == stem("prévision", "fr")
    assert stem("bureaux", "fr") == stem("bureau", "fr")
    assert stem("companies", "en") == stem("company", "en")
    assert stem("organisation", "fr") != stem("organe", "fr")


def test_sections_shorter_than_the_threshold_are_not_developed():
    rng = random.Random(5)
    html = (f"<h2>Court</h2><p>{prose(rng, SECTION_MIN_WORDS - 30, FILLER)}</p>"
            f"<h2>Parent</h2><h3>Long</h3><p>{prose(rng, SECTION_MIN_WORDS + 20, FILLER)}</p>")
    f = depth_features(html, "fr")
    assert [(s.level, s.title, s.has_children) for s in f.sections] == [
        (2, "Court", False), (2, "Parent", True), (3, "Long", False)]
    result = score_depth([doc("x.md", html, ())])[0]
    sub = result.component("subtopics")
    assert sub.value == 1
    assert "« Court »" in sub.to_improve and "Parent" not in sub.to_improve
    # no cluster: coverage is not applicable and the score is rescaled over the other parts
    cov = result.component("coverage")
    assert cov.points is None and cov.value is None
    others = [c for c in result.components if c.points is not None]
    assert result.score == round(100 * sum(c.points for c in others) / sum(c.max_points for c in others))


def test_english_articles_get_english_explanations_and_their_own_cluster():
    rng = random.Random(9)
    en = doc("en.md", f"<p>{prose(rng, 200, CYBER)}</p>", ("tag:cyber",), lang="en")
    result = score_depth(site_docs() + [en])[-1]
    # the French cyber articles are not its cluster: key terms are words of one language
    assert result.cluster_articles == 0
    assert result.component("coverage").points is None
    assert result.component("subtopics").explanation.startswith("0 of 0 H2/H3 sections")
