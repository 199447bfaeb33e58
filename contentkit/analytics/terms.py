"""Terms of an article for topic analysis: elisions split, stop words dropped, light stemming.

Offline and dependency-free on purpose (no model, no corpus download):

* Words come from `contentkit.text.tokenize_words`, so ``l'économie`` arrives as one word; here
  the elided article/pronoun is split off (``l'économie`` -> ``économie``, ``qu'il`` -> ``il``,
  then a stop word) and the English possessive dropped (``company's`` -> ``company``).
* Stop words: the compact French and English lists below (function words, auxiliaries, very
  common adverbs and business-prose fillers that never make a topic).
* Stemming is deliberately *light*: it only conflates inflections (plural, feminine, the most
  common verb endings) so that ``donnée``/``données`` or ``prévision``/``prévisions`` count as
  one term, without the over-stemming of aggressive stemmers (``organisation`` and ``organe``
  stay apart). French follows Savoy's minimal stemmer (as in Lucene's FrenchMinimalStemmer),
  English Harman's "S-stemmer" (Lucene's EnglishMinimalStemmer). Stems are never shown to
  people: reports show the most frequent written form of a stem.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from contentkit.text import lang_root, tokenize_words

__all__ = ["STOP_WORDS", "split_elision", "stem", "term_form", "term_forms", "forms_of_tokens",
           "is_term", "stop_key"]

_FR_STOP = """
a à ai aie aient aies ait al alors as au aucun aucune auquel aura aurai auraient aurais
aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels
avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bon bien c ça
car ce ceci cela celle celles celui cependant certain certaine certaines certains ces cet
cette ceux chacun chacune chaque chez ci comme comment d dans de des desquelles desquels
deux devrait doit doivent donc dont du duquel elle elles en encore entre es est et étaient
étais était étant été êtes étiez étions être eu eue eues eûmes eurent eus eut eux fait
faire fais faisait faites fois font fut furent hors ici il ils j je jusqu jusque l la là
laquelle le lequel les lesquelles lesquels leur leurs lors lorsqu lorsque lui m ma mais
me même mêmes mes moi moins mon n ne ni non nos notre nôtre nous on ont or ou où par parce
pas peu peut peuvent plupart plus plusieurs pour pourquoi pourrait près puis puisqu
puisque qu quand que quel quelle quelles quels qui quoi quoiqu quoique s sa sans se sera
serai seraient serais serait seras serez seriez serions serons seront ses si sien sienne
soi soient sois soit sommes son sont sous souvent soyez soyons suis sur t ta tandis tant
te tel telle telles tels tes toi ton toujours tous tout toute toutes très trop tu un une
unes uns va vais vas vers via voici voilà vont vos votre vôtre vous y déjà ainsi après
aujourd aujourd'hui autant beaucoup cas chose choses dire donne faut fin jamais mieux
moment nombre part parfois partir peut-être plutôt quelque quelques rien selon seul seule
seulement surtout tard tellement trois vraiment autour dès depuis pendant contre parmi
lorsqu'il lorsqu'elle afin celui-ci celle-ci ceux-ci dit doit-on est-ce c'est-à-dire
pouvoir peux pouvons pouvez pourra pourront pourraient pourrions pu devoir dois devons devez
devra devront devraient devrions dû vouloir veut veulent voulons voulez voudrait savoir sait
savent savons savez saura falloir fallait faudra faudrait aller allons allez ira iront irait
venir vient viennent venons venez prendre prend prennent prenons prenez pris mettre met
mettent mis donner donnent donné permet permettent permis rester reste restent passe passent
passé semble semblent sembler devient deviennent trouve trouvent voir voit voient vu croire
croit pense pensent parler parle parlent rend rendent tient tiennent arrive arrivent
reçoit reçoivent apprend apprennent pose posent posé impose imposent demande demandent
également notamment vraiment simplement rapidement largement directement clairement
réellement particulièrement généralement totalement forcément énormément précisément
exactement entièrement finalement actuellement justement relativement progressivement
régulièrement systématiquement concrètement immédiatement naturellement évidemment
certes enfin ensuite puis alors aussitôt désormais parfois souvent toujours encore assez
presque environ plein pleine grand grande grands grandes petit petite petits petites
nouveau nouvelle nouveaux nouvelles premier première premiers premières dernier dernière
derniers dernières autre autres même mêmes tel telle bonne bons bonnes meilleur meilleure
mauvais vrai vraie chose choses façon manière sorte type genre idée idées exemple exemples
cas côté fois jour jours an ans année années mois semaine semaines heure heures temps
un deux trois quatre cinq six sept huit neuf dix vingt trente quarante cinquante cent mille
oui non personne gens monde point question réponse
"""
_EN_STOP = """
a about above after again against all also am an and any are aren as at be because been
before being below between both but by can cannot could couldn did didn do does doesn doing
don down during each even ever every few for from further get gets got had hadn has hasn
have haven having he her here hers herself him himself his how however i if in into is isn
it its itself just least less let like made make many may me might more most much must
mustn my myself never new no nor not now of off often on once one only or other others
our ours ourselves out over own per perhaps quite rather really same shall shan she should
shouldn since so some such than that the their theirs them themselves then there these
they this those though through thus to too two under until up upon us use used very was
wasn way we well were weren what when where whether which while who whom whose why will
with within without won would wouldn yet you your yours yourself yourselves s t ll re ve
d m o y etc e.g i.e also back first last still something anything nothing thing things
another around already always among across along instead whereas whose
able become becomes became come comes came give gives gave given go goes going gone keep
keeps kept know knows knew known look looks need needs put puts say says said see sees saw
seen seem seems take takes took taken tell tells think thinks thought want wants work
works try tries good great big small large little long high low old right new next
example examples kind kinds lot lots part parts point way ways time times day days year
years month months week weeks people person question answer fact case cases three four
five six seven eight nine ten hundred thousand yes actually basically certainly clearly
especially exactly finally generally particularly probably simply usually
"""
STOP_WORDS = {
    "fr": frozenset(_FR_STOP.split()),
    "en": frozenset(_EN_STOP.split()),
}
STOP_WORDS["*"] = STOP_WORDS["fr"] | STOP_WORDS["en"]

# Elided words before an apostrophe: l'économie, d'un, qu'il, jusqu'à, lorsqu'on, s'il...
_ELIDED = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())


def split_elision(word: str) -> str:
    """``l'économie`` -> ``économie``; ``company's`` -> ``company``; other words unchanged.

    ``word`` is lowercase with straight apostrophes (as `tokenize_words` returns them).
    """
    if "'" not in word:
        return word
    head, _, tail = word.partition("'")
    if head in _ELIDED and tail:
        return split_elision(tail)  # "qu'aujourd'hui" -> "aujourd'hui"
    if word.endswith("'s"):
        return word[:-2]
    return word


def _stem_fr(w: str) -> str:
    """Savoy's minimal French stemmer (plural, feminine, -er/-é endings), with 'eaux' kept."""
    n = len(w)
    if n >= 5 and w.endswith("x"):
        if w.endswith("eaux"):
            return w[:-1]                      # bureaux -> bureau
        if w.endswith("aux") and n >= 6:
            return w[:-3] + "al"               # canaux -> canal
        return w[:-1]
    if n < 5:
        return w
    if w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]                             # outils -> outil, coûts -> coût
    if len(w) < 6:
        return w
    if w.endswith("r"):
        w = w[:-1]                             # mesurer -> mesure
    if w.endswith("e"):
        w = w[:-1]                             # mesure -> mesur, donnée -> donné
    if w.endswith("é"):
        w = w[:-1]                             # donné -> donn
    if len(w) > 2 and w[-1] == w[-2] and w[-1].isalpha():
        w = w[:-1]                             # donn -> don, nouvell -> nouvel
    return w


def _stem_en(w: str) -> str:
    """Harman's S-stemmer: ies -> y, es -> e, s -> '' (not after s, u, a/e/o + es)."""
    n = len(w)
    if n < 3 or w[-1] != "s":
        return w
    if w.endswith("ies") and n > 4 and w[-4] not in "ae":
        return w[:-3] + "y"
    if w.endswith("es") and w[-3] not in "aeo":
        return w[:-1]
    if w[-2] not in "us":
        return w[:-1]
    return w


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Light stem of a lowercase term (see the module docstring)."""
    root = lang_root(lang)
    if root == "fr":
        return _stem_fr(word)
    if root == "en":
        return _stem_en(word)
    return word


# French manner adverbs in -amment / -emment (évidemment, récemment) are never topic terms.
_ADVERB_ENDINGS = {"fr": ("amment", "emment"), "en": (), "*": ("amment", "emment")}


def is_term(word: str, lang_key: str) -> bool:
    """A candidate topic term: 3+ characters, has a letter, no digit, not a stop word."""
    if len(word) < 3 or word in STOP_WORDS[lang_key]:
        return False
    if _ADVERB_ENDINGS[lang_key] and word.endswith(_ADVERB_ENDINGS[lang_key]):
        return False
    has_letter = False
    for ch in word:
        if ch.isdigit():
            return False
        if ch.isalpha():
            has_letter = True
    return has_letter


@lru_cache(maxsize=200_000)
def term_form(token: str, lang_key: str) -> str | None:
    """The term a word token stands for (lowercase, elision split), or None if it is no term.

    ``lang_key`` is 'fr', 'en' or '*' (any other language: both stop lists).
    """
    word = split_elision(token.lower())
    return word if is_term(word, lang_key) else None


def stop_key(lang: str) -> str:
    root = lang_root(lang)
    return root if root in STOP_WORDS else "*"


def forms_of_tokens(tokens: list[str], lang: str, into: Counter | None = None) -> Counter:
    """Count the candidate terms among word tokens (as `tokenize_words` returns them)."""
    key = stop_key(lang)
    forms = into if into is not None else Counter()
    for token in tokens:
        form = term_form(token, key)
        if form is not None:
            forms[form] += 1
    return forms


def term_forms(text: str, lang: str) -> Counter:
    """Written forms (lowercase, elision split) of the candidate terms of ``text``, counted."""
    return forms_of_tokens(tokenize_words(text, lang), lang)
