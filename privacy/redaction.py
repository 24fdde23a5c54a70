"""Redact personal data from text: names, phone numbers, e-mail addresses, street addresses, dates,
CURP, RFC, COMAR case folios, passport and document numbers.

channels/inbound.py calls `redact()` on every incoming message (after NFKC normalisation) before NLU,
storage, the event broker or the logs see it; privacy.logging_filter runs it on every log record and
privacy.tracker_store on stored text again. So it must:

* remove personal data as people really type it, in Spanish, English, French and Haitian Creole;
* never remove the words that carry the meaning of a request (institutions, places, ages, counts,
  amounts, years, office hours, emergency and toll-free lines), or NLU stops understanding;
* be idempotent: redacting redacted text changes nothing (placeholders are never matched);
* run in linear time: every pattern is compiled once, at import, and has no nested quantifiers that can
  backtrack; repeated parts are bounded or made of disjoint character classes.

The replacement names what was removed, so a reader of a stored conversation still sees its shape:
"mi numero es [telefono]". Placeholders are Spanish words in brackets whatever the language.
tests/unit/redaction_corpus.yml holds the cases this is measured on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Every placeholder `redact` writes. NLU ignores them (components/placeholders.py): "mi telefono es
# [telefono]" must not read as a question about phone numbers.
PLACEHOLDERS = (
    "[nombre]", "[direccion]", "[correo]", "[CURP]", "[RFC]", "[fecha]", "[folio]", "[documento]",
    "[telefono]", "[numero]",
)

# --------------------------------------------------------------------------------------------------
# Building blocks

# Separators people put between digit groups: space, dot, slash, brackets, ASCII hyphen, the Unicode
# hyphen U+2010 (what NFKC makes of the non-breaking hyphen U+2011), U+2011 itself (log records are not
# normalised), figure dash, en dash, em dash and minus sign.
_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_SEP = f"[\\s./(){_DASH}]"
# What may stand between the groups of a CURP or RFC typed in parts: "GOAM 850101 MCSRRR 09".
_GAP = f"[ .{_DASH}]?"

# A letter (any script, accented or not) and a word of letters, apostrophes or hyphens inside.
_LETTER = r"[^\W\d_]"
_WORD = rf"{_LETTER}[\w'’-]*"

# Months, full and abbreviated, in Spanish, English, French and Haitian Creole (with and without accents).
_MONTHS = (
    r"ene(?:ro)?|feb(?:rero|ruary)?|mar(?:zo|ch|s)?|abr(?:il)?|apr(?:il)?|avr(?:il)?|may(?:o)?|mai|"
    r"jun(?:io|e)?|juin|jul(?:io|y)?|juil(?:let)?|ago(?:sto)?|aug(?:ust)?|ao[uû]t|sep(?:t(?:iembre|ember|embre)?)?|"
    r"set(?:iembre)?|oct(?:ubre|ober|obre)?|nov(?:iembre|ember|embre)?|dic(?:iembre)?|dec(?:ember)?|"
    r"d[ée]c(?:embre)?|jan(?:uary|vier|vye)?|f[ée]v(?:rier|ye)?|fevriye|mas|avril|me|jen|jiy[eè](?:t)?|"
    r"out|septanm|okt[oò]b|novanm|desanm"
)
# Two-digit month and day, as in the birth date inside an RFC (YYMMDD).
_MM = r"(?:0[1-9]|1[0-2])"
_DD = r"(?:0[1-9]|[12]\d|3[01])"
# E-mail providers people name without a dot ("ana arroba gmail"), and the end of a spelled-out domain:
# ".com", ".com.mx", " punto com", " dot com".
_PROVIDERS = r"(?:gmail|hotmail|yahoo|outlook|icloud|live|proton(?:mail)?|aol|msn)\b"
_DOMAIN_END = r"(?:\.[a-z]{2,6}\b|[ \t]+(?:punto|dot|pwen|point)[ \t]+[a-z]{2,6}\b){0,3}"
# Words after a number that make it an amount: "10 000 000 pesos", "1500-2000 dolares".
_CURRENCY = r"pesos?|mxn|d[oó]lares|dollars?|usd|dls|dola|goud|gourdes|euros?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
_TIME = r"(?:[01]?\d|2[0-3])[.:][0-5]\d"


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`, for the word lists below."""
    return frozenset(text.split())


# Words that are never part of a name: function words, common verbs and nouns of the four languages,
# institutions. A name is taken word by word after "me llamo", "my name is", ... and stops at the first
# of these (or at punctuation or a digit), so "me llamo Ana y tengo 15" keeps "y tengo 15" and
# "my name is on the list", "me llamo la policia" (= "the police called me") are left alone.
_NOT_A_NAME = _words(
    """
    y e o u ni pero que q k ke de del la el los las lo un una unos unas mi mis tu tus su sus me te se le les
    nos con sin por para pa porfa porfavor favor xfa xfavor xq pq porque en a al desde hasta hacia ya no si sí
    soy es son eres estoy esta está estamos somos tengo tiene tenemos vengo viene vivo vive busco necesito
    nesesito ocupo quiero kiero pido puedo puede hablo hable llame llamo llamó llamaron dijo dijeron
    ayer hoy ahora aqui aquí aca acá ahi ahí alla allá tambien también solo sola mucho gusto muy bien mal asi
    así igual alguien nadie nada todo todos hace otra otro otros como cuando donde dónde quien quién cual
    ayuda ayudame ayudeme ayúdenme ayudenme auxilio urgente hola buenas buenos dias días tardes noches
    gracias señor señora senor senora licenciado abogado abogada policia policía patrulla ambulancia
    mama mamá papa papá hijo hija hijos hermano hermana tio tía tia primo prima esposo esposa novio novia
    migracion migración menor migrante refugiado refugiada incorrecto incorrecta diferente secreto privado
    aparece apareció escrito importante correcto correcta largo raro comun común complicado
    comision comisión fiscalia fiscalía consulado embajada albergue oficina hospital clinica clínica
    qué cómo cuál porqué
    and or but nor i im i'm am is are was were be been from to in on at of the a an my your his her our their
    it its he she we they you not no yes need needs want wants have has had got live lives living come came
    looking please pls plz thanks thank help with without for here there now today yesterday also too so
    just only hi hello hey sir madam officer lawyer police mom dad son daughter wrong written spelled
    misspelled missing listed correct different same important unknown private secret called calling
    what how why who which where when
    et ou mais je j j'ai j'suis suis ai du des le un une mon ma mes ton ta tes son sa ses avec pour par dans
    sur ne pas oui non besoin veux voudrais viens cherche habite j'habite ici merci bonjour bonsoir salut
    svp stp s'il aide aidez moi c'est est mal écrit ecrit il elle ils elles nous vous aussi seulement
    comment quoi pourquoi qui quel quelle
    ak epi men ki mwen m li yo nou ou w se pa gen genyen bezwen vle soti sòti sot ap te pral ka kapab isit
    kounye kounya mèsi mesi bonjou bonswa tanpri souple ede èd ed polis lapolis anbilans manman papa pitit
    frè fre sè avoka moun yon nan sou pou tout fanmi madanm kijan kisa kiyes poukisa kote
    komisyon imigrasyon migrasyon ajans biwo lopital doktè dokte sant ofis kay legliz òganizasyon
    comar inm dif cndh acnur unhcr oim iom sre cdh fgr sat curp rfc procuraduria procuraduría
    """
)

_HT_POSSESSIVES = _words("m mwen li yo nou w ou")

# After "me llamo" / "mwen rele": up to 4 name-like words (bounded: linear). The callback keeps the
# words up to the first that is not a name.
_NAME_WORDS = rf"{_WORD}(?:[ \t]+{_WORD}){{0,3}}"

_FAMILY_ES = r"hij[oa]|niñ[oa]|nin[oa]|beb[eé]|espos[oa]|herman[oa]|sobrin[oa]|prim[oa]|mam[aá]|pap[aá]|t[ií][oa]"
_FAMILY_EN = r"son|daughter|child|kid|baby|wife|husband|brother|sister|nephew|niece|cousin|mom|mother|dad|father"
_FAMILY_FR = r"fils|fille|enfant|b[ée]b[ée]|femme|mari|fr[èe]re|s(?:œ|oe)ur|neveu|ni[èe]ce|cousine?|m[èe]re|p[èe]re"
_FAMILY_HT = r"pitit(?:\s+(?:fi|gason))?|tifi|tigason|madanm|mari|fr[èeè]|s[èe]|neve|nyès|kouzen|kouzin|manman|papa"

# Name introductions. Group "intro" is kept; the words after it are checked by `_replace_name`.
_NAME_INTRO = re.compile(
    r"(?P<intro>"
    # Spanish: "me llamo", "me yamo", "mi nombre (completo) es", "nombre:", "mi hija se llama"
    r"\bme\s+(?:ll|y)amo\s+"
    r"|\bmi\s+nombre\s+(?:completo\s+)?(?:es\s*:|es|:)\s*"
    r"|\bnombre\s*:\s*"
    rf"|\b(?:{_FAMILY_ES})\s+se\s+llama\s+"
    # English: "my name is", "my name's", "name:", "my daughter's name is"
    r"|\bmy\s+(?:full\s+)?name\s*(?:is\s*:|is|['’]s|:)\s*"
    r"|\bname\s*:\s*"
    rf"|\b(?:my|his|her)\s+(?:{_FAMILY_EN})(?:['’]s)?\s+name\s+is\s+"
    rf"|\b(?:my|his|her)\s+(?:{_FAMILY_EN})\s+is\s+called\s+"
    # French: "je m'appelle", "je m appelle", "jm'appelle", "mon nom (c')est", "mon fils s'appelle"
    r"|\bj(?:e)?[ \t]*m['’]?[ \t]*app?ell?e\s+"
    r"|\bmon\s+(?:nom|pr[ée]nom)\s+(?:est|c['’]est|:)\s*"
    rf"|\b(?:{_FAMILY_FR})\s+s['’]?[ \t]*app?ell?e\s+"
    # Haitian Creole: "non mwen se", "pitit mwen rele". "mwen rele" / "m rele" also means "I called"
    # ("mwen rele 911", "pou m rele COMAR"): only taken as a name at the start of a sentence or after a
    # greeting, and the words after it are still checked ("m rele polis" stays).
    r"|\bnon\s+(?:mwen|m)\s+se\s+"
    rf"|\b(?:{_FAMILY_HT})\s+(?:mwen|m)\s+rele\s+"
    r"|(?:(?:^|(?<=[.,;:!?¡¿\n]))[ \t]*|\b(?:bonjou|bonswa|alo|hello|hola|bonjour|salut)\b[\s,!]*)(?:mwen|m)\s+rele\s+"
    r")"
    rf"(?P<name>{_NAME_WORDS})",
    re.IGNORECASE,
)


def _replace_name(match: re.Match[str]) -> str:
    """`intro [nombre] rest`: the name is the words before the first word that cannot be a name."""
    words = re.split(r"([ \t]+)", match.group("name"))  # words and the spaces between them
    taken = 0
    for i in range(0, len(words), 2):
        word = words[i].lower().strip("'’-")
        if word in _NOT_A_NAME:
            break
        # Creole "mari" is a first name (Mari = Marie) and "husband": "m rele mari m" = "I called my husband".
        if word == "mari" and i + 2 < len(words) and words[i + 2].lower() in _HT_POSSESSIVES:
            break
        taken = i + 1
    if taken == 0:
        return match.group(0)
    return match.group("intro") + "[nombre]" + "".join(words[taken:])


# Street addresses. Group "street" holds the words of the street name; `_replace_street` checks them.
# Words allowed inside a street name although they are function words: "calle de la paz 23".
_STREET_CONNECTORS = _words("de del la las los el le les des du d' san santa saint sainte")
_UNIT_AFTER_NUMBER = (
    r"d[ií]as?|noches?|mes(?:es)?|semanas?|años?|anos?|horas?|hijos?|days?|nights?|months?|weeks?|years?|"
    r"hours?|kids?|children|jours?|nuits?|mois|semaines?|ans?|heures?|enfants?|jou|mwa|sem[eè]n|lane|fwa|"
    r"timoun|pitit"
)
_STREET_FIRST = re.compile(
    r"\b(?:calle|c/|callej[oó]n|avenida|avda\.?|av\.?|ave\.?|blvd\.?|boulevard|bulevar|privada|"
    r"colonia|col\.?|fracc?(?:ionamiento)?\.?|street|rue|ri|lari)[ \t]+"
    rf"(?P<street>{_WORD}(?:[ \t]+{_WORD}){{0,3}}),?[ \t]*"
    r"(?:(?:#|n[o°º]\.?|num\.?|n[uú]mero|number|nimewo)[ \t]*)?\d{1,5}[a-z]?\b"
    rf"(?![ \t]*(?:{_UNIT_AFTER_NUMBER})\b)"
    # then, optionally, the colonia and the interior number: ", col. Centro", "int 4", "apt 2"
    rf"(?:,?[ \t]*(?:col(?:onia)?\.?|fracc?\.?|barrio)[ \t]+{_WORD}(?:[ \t]+{_WORD}){{0,2}})?"
    r"(?:,?[ \t]*(?:int(?:erior)?|depto|dpto|apt|apto|apartment|appt)\.?[ \t]*#?[ \t]*\w{1,4}\b)?",
    re.IGNORECASE,
)
_NUMBER_FIRST_EN = re.compile(
    rf"\b\d{{1,5}}[a-z]?,?[ \t]+(?P<street>{_WORD}(?:[ \t]+{_WORD}){{0,2}})[ \t]+"
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|lane)\b\.?"
    r"(?:,?[ \t]*(?:apt|apartment|unit|\#)\.?[ \t]*\#?[ \t]*\w{1,4}\b)?",
    re.IGNORECASE,
)
_NUMBER_FIRST_FR = re.compile(
    r"\b\d{1,5}(?:bis|ter)?,?[ \t]+(?:rue|avenue|av\.?|boulevard|bd|chemin|all[ée]e|impasse|ri|lari)[ \t]+"
    rf"(?P<street>{_WORD}(?:[ \t]+{_WORD}){{0,3}})",
    re.IGNORECASE,
)


def _is_function_word(word: str) -> bool:
    word = word.lower().strip("'’-")
    return word in _NOT_A_NAME and word not in _STREET_CONNECTORS


def _replace_street(match: re.Match[str]) -> str:
    """`[direccion]`, unless the street name holds a function word (then it is no address).

    A street name at the end of the match (number first: "12 rue des Lilas et ...") is cut before its
    first function word instead."""
    words = match.group("street").split()
    if match.end("street") < match.end():  # the name is followed by the number or the street word
        if any(_is_function_word(w) for w in words):
            return match.group(0)
        return "[direccion]"
    kept = 0
    for w in words:
        if _is_function_word(w):
            break
        kept += 1
    if kept == 0 or all(w.lower() in _STREET_CONNECTORS for w in words[:kept]):
        return match.group(0)
    rest = match.group("street").split(None, kept)[kept:] if kept < len(words) else []
    return "[direccion]" + (" " + rest[0] if rest else "")


# --------------------------------------------------------------------------------------------------
# Patterns, most specific first. Each is (pattern, placeholder or function).

_Replacement = str | Callable[[re.Match[str]], str]  # pragma: no mutate (a type, for mypy only)

_PATTERNS: list[tuple[re.Pattern[str], _Replacement]] = [
    # E-mail: name@domain.tld, also without a top-level domain ("ana.perez@gmail"). The lookbehind makes
    # the engine try word starts only (linear).
    (re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*"), "[correo]"),
    # ... with spaces around the @ ("ana @ gmail.com", "fabrice@ yahoo.fr"): a known provider or a domain
    # with a dot is required ("nos vemos a las 3 @ la oficina" stays).
    (
        re.compile(
            rf"(?<![\w.+-])[\w.+-]+[ \t]?@[ \t]?(?:{_PROVIDERS}|[\w-]+\.[a-z]{{2,6}}\b)(?:\.[a-z]{{2,6}}\b)*",
            re.IGNORECASE,
        ),
        "[correo]",
    ),
    # E-mail spelled out: "ana arroba gmail punto com", "maria (at) yahoo dot com",
    # "jean arobase gmail.com", "jean arobaz gmail.com".
    (
        re.compile(
            r"(?<![\w.+-])[\w.+-]+\s*(?:\b(?:arroba|arobase|arobaz|arobas)\b|[(\[]\s*at\s*[)\]])\s*[\w-]+"
            rf"{_DOMAIN_END}",
            re.IGNORECASE,
        ),
        "[correo]",
    ),
    # ... with a bare "at": only before a known provider or a domain with a dot ("ana at gmail.com";
    # "im at the shelter", "i was at comar" stay).
    (
        re.compile(
            rf"(?<![\w.+-])[\w.+-]+[ \t]+at[ \t]+(?:{_PROVIDERS}|[\w-]+\.[a-z]{{2,6}}\b){_DOMAIN_END}",
            re.IGNORECASE,
        ),
        "[correo]",
    ),
    # CURP: 4 letters, 6 digits (birth date), H/M/X, 5 letters, 1 alphanumeric, 1 digit; also typed in
    # groups with spaces, dots or dashes ("GOAM 850101 MCSRRR 09").
    (
        re.compile(
            rf"\b[A-Z]{{4}}{_GAP}\d{{6}}{_GAP}[HMX]{_GAP}[A-Z]{{5}}{_GAP}[A-Z0-9]{_GAP}\d\b",
            re.IGNORECASE,
        ),
        "[CURP]",
    ),
    # RFC (tax id): 3-4 letters, birth date YYMMDD, 3-character homoclave ending in a digit or A.
    # Written together ("GOMA850101HX5"), or in groups ("GOMA 850101 HX5", "goma-850101-hx5") if the
    # homoclave holds a digit (so that "con 850101 los" is not taken for an RFC).
    (
        re.compile(
            rf"\b[A-ZÑ&]{{3,4}}\d{{2}}{_MM}{_DD}[A-Z0-9]{{2}}[0-9A]\b"
            rf"|\b[A-ZÑ&]{{3,4}}[ .{_DASH}]\d{{2}}{_MM}{_DD}"
            rf"[ .{_DASH}](?=[A-Z]{{0,2}}\d)[A-Z0-9]{{2}}[0-9A]\b",
            re.IGNORECASE,
        ),
        "[RFC]",
    ),
    # Dates written with numbers: 12/03/2010, 12-03-2010, 12.03.10 (same separator twice), 2010-03-12.
    (
        re.compile(
            rf"(?<![\w/.{_DASH}])(?:{_DAY}|{_MONTH_NUM})([/.{_DASH}])\d{{1,2}}\1(?:{_YEAR}|\d{{2}})(?![\w/{_DASH}]|\.\d)"
            rf"|(?<![\w/.{_DASH}]){_YEAR}([/.{_DASH}]){_MONTH_NUM}\2{_DAY}(?![\w/{_DASH}]|\.\d)"
        ),
        "[fecha]",
    ),
    # Dates written with words, day month year: "12 de marzo de 2010", "12 mars 2010", "1er janvier 2016",
    # "12 mas 2010", "12 march 2015"; and month day year: "March 12, 2010". A day and month without a year
    # (an appointment: "el 12 de marzo") and a lone year ("en 2024") are kept.
    (
        re.compile(
            rf"\b{_DAY}(?:er|st|nd|rd|th|ro|º)?\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+(?:de(?:l)?\s+)?{_YEAR}\b"
            rf"|\b(?:{_MONTHS})\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+(?:de(?:l)?\s+)?{_YEAR}\b",
            re.IGNORECASE,
        ),
        "[fecha]",
    ),
    # COMAR case folios: number/year or number-year ("12345/2024", "4567-2023"), or year/number.
    (
        re.compile(
            rf"(?<![\w/{_DASH}$])(?!{_YEAR}\s?[/{_DASH}]\s?{_YEAR}\b)"
            rf"(?:\d{{3,6}}\s?[/{_DASH}]\s?{_YEAR}|{_YEAR}\s?[/{_DASH}]\s?\d{{3,6}})(?![\w/{_DASH}])"
            rf"(?![ \t]*(?:{_CURRENCY})\b)",
            re.IGNORECASE,
        ),
        "[folio]",
    ),
    # Number first (English, French, Creole style), before the street-word-first rule
    # so that "123 Main Street apt 4" is taken whole: "123 Main Street", "45 Oak Ave", "12 rue des Lilas",
    # "45 avenue Juarez", "12 ri Pave".
    (_NUMBER_FIRST_EN, _replace_street),
    (_NUMBER_FIRST_FR, _replace_street),
    # Street addresses with a house number, street word first (Spanish, French, Creole style):
    # "calle hidalgo 23 col centro", "av. central poniente #145", "col. las flores 12", "rue Hidalgo 23",
    # "ri Capois 45", "street hidalgo 45". `_replace_street` keeps it when a word of the "name" is a
    # function word ("en la calle con mis 3 hijos", "the street for 3 days"); a number followed by a unit
    # ("calle 3 dias") is no house number.
    (_STREET_FIRST, _replace_street),
    # Names after "me llamo", "my name is", "je m'appelle", "mwen rele", ...
    (_NAME_INTRO, _replace_name),
    # Passports and ids: letters and digits mixed, 6-12 characters, at least 5 digits (G12345678, A1B2C3D4E5).
    (
        re.compile(r"\b(?=[A-Z0-9]{6,12}\b)(?=(?:[A-Z]*\d){5})(?=[0-9]*[A-Z])[A-Z0-9]+\b", re.IGNORECASE),
        "[documento]",
    ),
    # Phone numbers: 8 or more digits, optionally with +, spaces, dots, slashes, dashes or brackets between
    # them. Kept: toll-free lines of institutions (800 ..., 01 800 ..., 1-800 ...), ranges of years
    # ("2019-2024") and of hours ("08.00-14.00"), and amounts ("$10 000 000", "10.000.000 de pesos").
    (
        re.compile(
            r"(?<![\w$])(?<!\$ )"
            rf"(?!(?:\+?52{_SEP}*)?(?:0?1{_SEP}*)?800(?!\d))"
            rf"(?!{_YEAR}\s?[{_DASH}/]\s?{_YEAR}\b)"
            rf"(?!{_TIME}\s?[{_DASH}]\s?{_TIME}(?!\d))"
            rf"\+?\(?\d(?:{_SEP}*\d){{7,}}(?![\w])"
            rf"(?![ \t]*(?:de[ \t]+)?(?:{_CURRENCY})\b)",
            re.IGNORECASE,
        ),
        "[telefono]",
    ),
    # Local 7-digit numbers written 3-4: "123-4567", "123 4567" (contiguous ones are caught below).
    (
        re.compile(
            rf"(?<![\w$.,{_DASH}/])(?<!\d[ .{_DASH}])\d{{3}}[ {_DASH}.]\d{{4}}(?![\w{_DASH}/]|[.,]\d)"
            rf"(?![ \t]*(?:{_CURRENCY})\b)",
            re.IGNORECASE,
        ),
        "[telefono]",
    ),
    # Any other long number (document, case or card numbers, 7-digit phones): 6 or more digits.
    (re.compile(r"(?<![\w])\d{6,}(?![\w])"), "[numero]"),
]


def redact(text: str) -> str:
    """`text` with personal data replaced by placeholders ([nombre], [telefono], [correo], ...)."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
