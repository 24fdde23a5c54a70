"""The danger net (components/danger_patterns.py) on its own: categories, slots, "not now" cues."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path

import pytest
import yaml

from components.danger_patterns import Danger, DangerNet, file_fingerprint, load_spec
from tools.measure_danger_net import MAX_FALSE_ALARMS, measure

ROOT = Path(__file__).resolve().parents[2]
DEV = yaml.safe_load((ROOT / "safety" / "emergency_dev.yml").read_text(encoding="utf-8"))
CATEGORIES = {"kidnap", "ransom", "threat_kill", "held", "followed_shot", "armed", "sexual_violence",
              "trafficking", "missing_child", "medical", "help_danger", "self_harm"}


@pytest.fixture(scope="module")
def net() -> DangerNet:
    return DangerNet(load_spec())


def test_every_language_has_every_category_and_enough_dev_cases() -> None:
    spec = load_spec()
    assert set(spec) == {"es", "en", "fr", "ht"} == set(DEV)
    for language, block in spec.items():
        assert set(block["categories"]) == CATEGORIES, language
        assert block["not_now"] and block["present"], language
        urgent, calm = DEV[language]["urgent"], DEV[language]["calm"]
        assert len(urgent) >= 25 and len(calm) >= 15, language
        assert {item["category"] for item in urgent} == CATEGORIES, language


@pytest.mark.parametrize("language", sorted(DEV))
def test_recall_is_total_and_false_alarms_stay_under_ten_percent(net: DangerNet, language: str) -> None:
    score = measure(net, {language: DEV[language]})[language]
    assert score.recall == 1.0, score.missed
    assert score.false_alarm_rate <= MAX_FALSE_ALARMS, score.alarms


def test_the_dev_set_is_not_taken_from_the_frozen_realistic_set() -> None:
    from common.text import fold

    realistic = "\n".join(fold(p.read_text(encoding="utf-8")) for p in (ROOT / "tests" / "realistic").glob("*.yml"))
    for block in DEV.values():
        for text in [item["text"] for item in block["urgent"]] + block["calm"]:
            assert fold(text) not in realistic, text


@pytest.mark.parametrize(
    "relative",
    ["hijo", "esposo", "marido", "hermano", "prima", "sobrino", "mama", "papa", "compañero", "amigo", "cuñada"],
)
def test_kidnapping_of_any_relative_is_caught(net: DangerNet, relative: str) -> None:
    for text in (f"secuestraron a mi {relative}", f"se llevaron a mi {relative}", f"mi {relative} esta secuestrado",
                 f"levantaron a mi {relative} en la central"):
        found = net.find(text)
        assert found is not None and found.category == "kidnap", text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("NOS ESTÁN SIGUIENDO", "followed_shot"),
        ("nos vienen siguiendo", "followed_shot"),
        ("piden 5 mil dolares o lo matan", "ransom"),
        ("they have my brother and want money or they kill him", "kidnap"),
        ("ils ont kidnappé mon frère", "kidnap"),
        ("yo kidnape frè m", "kidnap"),
        ("help, we are in danger", "help_danger"),
        ("aidez nous, on est en danger", "help_danger"),
        ("mi bebe tiene mucha fiebre y no despierta", "medical"),
        ("i want to end it all", "self_harm"),
        ("kiero morirme", "self_harm"),
        ("m pa vle viv ankò", "self_harm"),
    ],
)
def test_wording_person_and_spelling_do_not_matter(net: DangerNet, text: str, category: str) -> None:
    found = net.find(text)
    assert found is not None and found.category == category, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "me secuestraron el mes pasado, ya estoy bien, quiero denunciar",
        "hace dos años secuestraron a mi hermano en honduras",
        "en mi pais me quieren matar, como pido asilo",
        "chez nous les gangs voulaient nous tuer",
        "au pays ils ont enlevé mon frère",
        "yo te kidnape frè m lane pase",
        "how do i report a kidnapping",
        "que es el secuestro virtual",
        "my child is in a shelter",
    ],
)
def test_past_or_distant_crimes_and_abstract_questions_do_not_fire(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, text


def test_a_present_cue_wins_over_a_past_one(net: DangerNet) -> None:
    assert net.find("hace un año me amenazaron y ahorita estan afuera, me quieren matar") is not None


def test_a_medical_emergency_now_is_caught_even_after_a_past_cue(net: DangerNet) -> None:
    assert net.find("en mi pais no habia doctores y ahorita mi bebe no respira") is not None


def test_an_unknown_slot_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown slot"):
        DangerNet({"es": {"categories": {"kidnap": {"patterns": ["{NOPE} a mi hijo"]}}}})


@pytest.mark.parametrize(
    "text",
    [
        "el coyote tiene a mi sobrina y no la suelta hasta q paguemos",
        "los polleros tienen a mi esposo, piden 3 mil pa soltarlo",
        "nos piden dinero para soltar a mi cuñado",
        "me marcaron q ellos lo tienen",
        "the smuggler has my wife and wants money to release her",
        "they want 1500 dollars to let him go",
        "le passeur tient ma soeur",
        "koyòt la kenbe madanm mwen",
        "yo vle lajan pou yo lage kouzen m",
        "y mande 2000 dola pou y lage pitit mwen",
    ],
)
def test_whoever_holds_a_relative_for_money_is_an_emergency(net: DangerNet, text: str) -> None:
    found = net.find(text)
    assert found is not None and found.intent == "emergency", (text, found)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("sekuestraron a mi hermano", "kidnap"),
        ("my cousin was took by cartel men", "kidnap"),
        ("we are lock inside a truck", "held"),
        ("the smugglers keep us in a house and dont let us go out", "held"),
        ("patwon an konfiske paspò nou, li pa peye nou", "trafficking"),
        ("my friend was rape by the driver", "sexual_violence"),
        ("my baby dont wake up", "medical"),
        ("my pregnant wife is bleeding very much", "medical"),
        ("mi esposa embarazada esta sangrando", "medical"),
        ("se cayo al rio mi hijo", "medical"),
        ("mi niña se fue a jugar con otros niños y no aparece desde hace una hora", "missing_child"),
        ("my 6 year old daughter disappear", "missing_child"),
        ("pls help we in danger", "help_danger"),
        ("they shooting at us on the road", "followed_shot"),
        ("pienso en aventarme del puente", "self_harm"),
    ],
)
def test_misspellings_and_non_native_grammar_are_caught(net: DangerNet, text: str, category: str) -> None:
    found = net.find(text)
    assert found is not None and found.category == category, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "they dont let us go out",  # "let us go" is not "they let us go" (safe now)
        "levantaron a mi hijo y no lo soltaron aunque pagamos",
        "yo pran frè m, yo vle lajan pou yo lage l",  # pou yo lage l: so that they free him
    ],
)
def test_a_negated_or_conditional_safe_cue_does_not_silence_the_danger(net: DangerNet, text: str) -> None:
    assert net.find(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "mi hijo se perdio en la central pero ya lo encontramos",
        "my son got lost but we found him",
        "mon fils s est perdu mais on l a retrouve",
        "pitit mwen te pèdi men nou jwenn li",
        "chalè a ap touye m",  # the heat is killing me: a figure of speech
        "me muero de hambre",
        "this heat is killing me",
        "mi primo murio ahogado hace meses",
        "my cousin drowned months ago",
        "un amigo me conto que en la frontera hay gente armada, es cierto?",
        "my friend told me there are armed men at the border",
        "yon zanmi di m gen moun ame sou fwontyè a, se vre?",
        "vi en las noticias que levantaron a unos migrantes",
    ],
)
def test_found_children_figures_of_speech_and_hearsay_do_not_fire(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, text


def test_a_gap_glued_to_a_word_is_an_error() -> None:
    with pytest.raises(ValueError, match="needs a space"):
        DangerNet({"en": {"categories": {"ransom": {"patterns": ["asking (?:for )?.. money"]}}}})


def test_the_holdout_set_keeps_its_measured_recall() -> None:
    """safe/emergency_holdout.yml: written before tuning, patterns then fixed against its misses (a dev set now)."""
    holdout = yaml.safe_load((ROOT / "safety" / "emergency_holdout.yml").read_text(encoding="utf-8"))
    scores = measure(DangerNet(load_spec()), holdout)
    for language, score in scores.items():
        assert len(holdout[language]["urgent"]) >= 30 and len(holdout[language]["calm"]) >= 20, language
        assert score.recall >= 0.95, (language, score.missed)
        assert score.false_alarm_rate <= MAX_FALSE_ALARMS, (language, score.alarms)


@pytest.mark.parametrize(
    "text",
    [
        "nos quieren levantar, hay una camioneta afuera",
        "a man broke in with a knife",
        "ils nous retiennent dans un entrepot",
        "they kidnapped my brother last month and they still have him",  # "still" with the danger: now
    ],
)
def test_attempts_break_ins_and_ongoing_captivity_are_caught(net: DangerNet, text: str) -> None:
    assert net.find(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "vi en el face que balacearon a unos migrantes en sonora",
        "i was kidnapped last year and still have nightmares, is there a psychologist",
        "we were locked in a stash house months ago, now we live in monterrey, can we still report it",
        "ma femme a ete sequestree en 2023, maintenant on vit a monterrey, on peut avoir de l aide ?",
        "my son is lost in the system of dif, how to find him",
        "la migra nos tiene encerrados en la estacion, cuando salimos",
    ],
)
def test_news_lasting_fear_a_new_home_and_custody_are_no_danger_now(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "me dijeron q me van a matar",  # a threat told is no hearsay
        "me amenazaron por face que me van a matar",
        "yo di m y ap touye m",
        "on m a dit qu ils vont me tuer",
        "es verdad, tienen a mi hijo, ayuda",
        "please this is real they kidnapped my son",
    ],
)
def test_a_threat_told_or_insisted_on_is_not_hearsay(net: DangerNet, text: str) -> None:
    assert net.find(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "she has my kids at her house this weekend",
        "elle garde mes enfants pendant que je travaille",
        "li pran pitit li lekol chak jou",
        "do i have to pay for free legal help",
        "me llamaron del hospital que lo tienen en observacion",
        "my son has gone to school",
    ],
)
def test_everyday_custody_care_and_fees_are_no_kidnapping(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, text


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("mon neveu s est perdu hier mais il est revenu, tout va bien", False),
        ("mi hijo se perdio en el mercado pero ya regreso a la casa", False),
        ("my daughter got lost but she came back an hour later", False),
        ("pitit mwen te pèdi men li tounen lakay", False),
        ("mon fils a disparu ce matin et il n est pas revenu", True),
        ("mi hijo se perdio y no regreso a la casa", True),
        ("my daughter is missing and never came back", True),
        ("pitit mwen disparèt, li pa tounen lakay", True),
        ("il est revenu avec un couteau", True),  # an attacker who came back is no child found
    ],
)
def test_a_child_who_came_back_is_safe_but_not_one_who_did_not(net: DangerNet, text: str, fires: bool) -> None:
    assert (net.find(text) is not None) == fires, text


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("lè m tounen lakay yo pral touye m", False),  # a threat at home, for the asylum answer
        ("si regreso a honduras me matan", False),
        ("regresamos al albergue y nos estan siguiendo", True),  # back at the shelter is here, now
    ],
)
def test_a_return_home_is_elsewhere_but_back_at_the_shelter_is_here(net: DangerNet, text: str, fires: bool) -> None:
    assert (net.find(text) is not None) == fires, text


@pytest.mark.parametrize(
    "text",
    [
        "no llego mi esposa, dicen que la tienen ellos",
        "someone sent a photo of my husband tied up",
        "me mandaron un video de mi hermano amarrado",
        "el coyote no nos quiere dar de comer y nos pega",
    ],
)
def test_captivity_told_or_shown_and_beatings_now_are_caught(net: DangerNet, text: str) -> None:
    assert net.find(text) is not None, text


def test_a_relative_kept_in_a_hospital_is_no_kidnapping(net: DangerNet) -> None:
    assert net.find("dicen que la tienen en el hospital en observacion") is None


@pytest.mark.parametrize(
    "text",
    [
        "mi hijo no contesta desde ayer y un numero raro me pide dinero",
        "no se nada de mi hermano y me llamaron pidiendo 5 mil pesos",
        "me estan pidiendo dinero y mi esposo no contesta el telefono",
        "my son is not answering since yesterday and a man calls asking for money",
        "mon fils ne repond plus depuis hier et quelqu un demande de l argent",
        "pitit mwen pa reponn depi yer epi yon moun ap mande lajan",
    ],
)
def test_a_relative_out_of_reach_while_someone_asks_for_money_is_an_emergency(net: DangerNet, text: str) -> None:
    """A "virtual" kidnapping names no kidnapping: the relative cannot be reached and a caller wants money."""
    found = net.find(text)
    assert found is not None and found.category == "ransom", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "no aparece mi cita en el sistema y un señor me pide dinero para conseguirla",
        "my documents are missing and they ask money for new ones",
        "mon passeport a disparu et ils demandent de l argent pour le refaire",
        "la comar no contesta y el abogado me pide 500 pesos",
    ],
)
def test_a_missing_paper_or_an_office_that_does_not_answer_is_no_kidnapping(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, text


def test_about_to_faint_from_the_heat_is_a_medical_emergency(net: DangerNet) -> None:
    found = net.find("creo que me voy a desmayar del calor")
    assert found is not None and found.category == "medical"


DEV2 = yaml.safe_load((ROOT / "safety" / "emergency_dev2.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", sorted(DEV2))
def test_the_second_dev_set_is_caught_without_false_alarms(net: DangerNet, language: str) -> None:
    """safety/emergency_dev2.yml: the set the generalisations of 2026-12-06 were tuned against."""
    urgent, calm = DEV2[language]["urgent"], DEV2[language]["calm"]
    assert len(urgent) >= 30 and len(calm) >= 20, language
    score = measure(net, {language: DEV2[language]})[language]
    assert score.recall == 1.0, score.missed
    assert score.false_alarm_rate <= MAX_FALSE_ALARMS, score.alarms


def test_the_new_sets_are_not_taken_from_the_frozen_realistic_set() -> None:
    """The frozen test set (emergency_unseen.yml) and dev2 share no message with tests/realistic/ nor each other."""
    from common.text import fold

    realistic = "\n".join(fold(p.read_text(encoding="utf-8")) for p in (ROOT / "tests" / "realistic").glob("*.yml"))
    unseen = yaml.safe_load((ROOT / "safety" / "emergency_unseen.yml").read_text(encoding="utf-8"))
    texts = {name: [fold(t) for block in data.values() for t in [i["text"] for i in block["urgent"]] + block["calm"]]
             for name, data in (("unseen", unseen), ("dev2", DEV2))}
    for language, block in unseen.items():
        assert len(block["urgent"]) == 25 and len(block["calm"]) == 25, language
    for name, folded in texts.items():
        for text in folded:
            assert text not in realistic, (name, text)
    assert not set(texts["unseen"]) & set(texts["dev2"])


# A threat by someone else is an emergency (threat_kill), never self-harm; wanting to kill oneself stays self-harm.
@pytest.mark.parametrize(
    ("threat", "self_harm"),
    [
        ("me va a matar mi marido", "me quiero matar"),
        ("mi ex me quiere matar, esta afuera", "me voy a matar"),
        ("he is going to kill me, he found me", "im going to kill myself"),
        ("il va me tuer, il m a retrouvé", "je vais me tuer"),
        ("l ap touye m, li jwenn mwen", "m pral touye tèt mwen"),
    ],
)
def test_a_threat_by_someone_else_is_no_self_harm(net: DangerNet, threat: str, self_harm: str) -> None:
    found = net.find(threat)
    assert found is not None and found.category == "threat_kill" and found.intent == "emergency", (threat, found)
    found = net.find(self_harm)
    assert found is not None and found.intent == "self_harm", (self_harm, found)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # es: the relative named first, then who took them; spelling; "violar a"; a child late for hours.
        ("a mi compa lo agarraron los de la maña", "kidnap"),
        ("a mi hermano se lo acaban de llevar", "kidnap"),
        ("se perdio mi hijo en el parque", "missing_child"),
        ("nos estan extorcionando los de la pandilla", "ransom"),
        ("el encargado quiere violar a mi hija", "sexual_violence"),
        ("violaron a mi hija ahorita", "sexual_violence"),
        ("mi hija de 10 años no regreso de la tienda y ya paso una hora", "missing_child"),
        ("nos hacen trabajar sin paga en el rancho", "trafficking"),
        # en: "im" for "i m", weapons with an adjective, "was taken", "theyll".
        ("im tied up in a room", "held"),
        ("men with big guns at the entrance", "armed"),
        ("guy with a knife at our door", "armed"),
        ("my daughter was taken", "kidnap"),
        ("they said theyll kill my family", "threat_kill"),
        # fr: taken away by strangers, "veut violer", touched by force, a child not back, unpaid work.
        ("mon pere a ete embarqué par des types", "kidnap"),
        ("ils viennent de prendre mon frere", "kidnap"),
        ("des hommes avec des grosses armes devant le foyer", "armed"),
        ("il veut violer ma fille", "sexual_violence"),
        ("un homme touche ma niece de force", "sexual_violence"),
        ("ma fille de 10 ans est pas revenue du magasin", "missing_child"),
        ("ils nous font travailler sans payer", "trafficking"),
        # ht: kidnap spellings (kidnapin, anlve) and pronouns (l, y), any subject, "fek", sun stroke, "gwo zam".
        ("yo kidnapin pitit mwen", "kidnap"),
        ("yo anlve l", "kidnap"),
        ("kek neg pran papa m devan magazen an", "kidnap"),
        ("katel la kenbe zanmi m", "kidnap"),
        ("yo fek pran fre m", "kidnap"),
        ("YO DI YAP TOUYE NOU", "threat_kill"),
        ("pase a fenmen nou nan yon chanm", "held"),
        ("gen neg ak gwo zam devan pot la", "armed"),
        ("papa m pran yon kou solèy", "medical"),
        ("yo fè nou travay san peye", "trafficking"),
        ("y ap fèmen nou nan yon kay", "held"),
    ],
)
def test_word_order_spelling_and_subjects_generalise(net: DangerNet, text: str, category: str) -> None:
    found = net.find(text)
    assert found is not None and found.category == category, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        # "refij la" is the shelter, here and now: a danger there is not "asylum, elsewhere".
        "gen yon kamyon k ap swiv nou depi nou soti nan refij la",
        "yon neg ap manyen nyes mwen pa fos nan twalet refij la",
    ],
)
def test_the_shelter_in_creole_is_here_and_now(net: DangerNet, text: str) -> None:
    assert net.find(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        # A child who lost a thing is no missing child (whereas "se perdio mi hijo" is).
        "mi hijo se perdio la tarjeta, como la recupero",
        "mi hija se perdio la clase por la cita",
        "my son lost his card",
        "my kid lost his phone",
        "mon fils a perdu son telephone",
        "pitit mwen pedi telefon li",
        # Rain keeps people in; getting up late; a shelter curfew; the heat "will kill me"; a joke.
        "lapli a fo anpil, nou pa ka soti pou n al nan biwo a",
        "no podemos salir por la lluvia",
        "il pleut on peut pas sortir de la maison",
        "m pa leve bone jodi a, m rate randevou a",
        "en el albergue no nos dejan salir despues de las 10",
        "the shelter doesnt let us go out after 9",
        "au foyer ils nous laissent pas sortir apres 22h",
        "yo pa kite nou soti apre dizè nan refij la",
        "y ap kenbe pitit la pandan m al nan randevou a",
        "y ap fèmen l a 4 è",
        "este calor me va a matar",
        "this heat is going to kill me",
        "mi jefe me va a matar si llego tarde jaja",
        # Rights, not bodies.
        "me violaron mis derechos en migracion",
        # Asylum is still elsewhere ("refijye", "demann refij").
        "m te kidnape ann ayiti, eske m ka fe demann refij",
    ],
)
def test_lost_things_weather_curfews_and_figures_of_speech_do_not_fire(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, text


DEV3 = yaml.safe_load((ROOT / "safety" / "emergency_dev3.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", sorted(DEV3))
def test_the_third_dev_set_is_caught_without_false_alarms(net: DangerNet, language: str) -> None:
    """safety/emergency_dev3.yml: described medical emergencies, implied ransom, weekly extortion, locked in."""
    assert len(DEV3[language]["urgent"]) >= 30 and len(DEV3[language]["calm"]) >= 25, language
    score = measure(net, {language: DEV3[language]})[language]
    assert score.recall == 1.0, score.missed
    assert score.false_alarm_rate <= MAX_FALSE_ALARMS, score.alarms


@pytest.mark.parametrize(
    "text",
    [
        # es: fainted in the heat and does not respond, purple lips, blood that will not stop, 40 of fever,
        # cannot be woken, eyes rolled back, a pregnant woman bleeding.
        "mi esposo se desvanecio en la fila x el sol",
        "mi tia no responde aunque la sacudo",
        "al niño se le pusieron los labios azules",
        "mi suegra no puede agarrar aire",
        "le esta saliendo un chingo de sangre de la cabeza",
        "la sangre no se le para con nada",
        "la niña tiene 41 de calentura",
        "no la podemos despertar a mi abuela",
        "mi bebe tiene los ojos en blanco",
        "mi cuñada embarazada de 8 meses esta echando sangre",
        # en
        "my uncle doesnt respond when we shake him",
        "she collapsed out in the sun by the road",
        "the blood is not stopping from his leg",
        "my boy is shaking on the ground",
        "her eyes rolling back",
        "my baby has a 105 fever",
        "he wont open his eyes",
        "i cant wake my dad up",
        # fr
        "le sang s arrete pas sur son bras",
        "ma soeur enceinte saigne beaucoup",
        "ses yeux sont revulses",
        "mon mari s est effondre au soleil",
        "ma fille bouge plus",
        "on arrive pas a le reveiller",
        "mon bebe a 40 de fievre",
        # ht
        "ti gason m nan cho ak lafyev li pa ka leve",
        "nou pa ka reveye l",
        "papa m tonbe nan chale a li pa bouje",
        "san an pa sispann, l ap soti nan tet li",
        "se m ansent e l ap senyen",
        "je l vire blanch",
        "ti bebe a pa ka pran souf",
    ],
)
def test_medical_emergencies_described_rather_than_named_are_caught(net: DangerNet, text: str) -> None:
    found = net.find(text)
    assert found is not None and found.category == "medical", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        # A deadline for money, "you won't see him again", harm for an unpaid weekly fee, forced into a car,
        # a photo of a tied relative, locked in, a relative sold or abused, shot.
        "deposita hoy o no la vuelves a ver",
        "si no pagamos la cuota nos van a lastimar",
        "metieron a mi primo a un carro a la fuerza",
        "nos encerraron en el cuarto",
        "vendieron a mi sobrina a unos tipos",
        "alguien esta abusando de mi nieta",
        "le metieron un balazo a mi cuñado",
        "send 3000 dollars or you wont ever see her again",
        "they will hurt my son if we dont pay",
        "they dragged my sister into a van",
        "the smuggler locks us up every night",
        "the guard keeps touching my daughter",
        "somebody shot my nephew",
        "envoyez l argent avant midi sinon vous la reverrez jamais",
        "ils vont tuer mon fils si on paie pas",
        "on m a envoye une video de mon mari ligote",
        "ils ont embarque ma soeur de force",
        "le patron nous enferme",
        "un homme abuse de ma niece",
        "peye kob la jodi a sinon ou p ap janm we l",
        "y ap fe nou mal si nou pa peye",
        "yo voye yon videyo pitit mwen mare",
        "bandi yo fose l monte nan yon kamyon",
        "y ap kenbe nou nan yon chanm",
        "gang lan kenbe madanm mwen",
        "yon nèg ap abize pitit fi m",
    ],
)
def test_implied_ransom_captivity_and_abuse_are_caught(net: DangerNet, text: str) -> None:
    found = net.find(text)
    assert found is not None and found.intent == "emergency", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        # Hypothetical questions, a reason for having fled, a city back home, reporting, complaints,
        # and the look-alikes of the new patterns.
        "si nos extorsionan q hacemos, nomas pregunto",
        "a mi hermano le dispararon en tegucigalpa, por eso me vine",
        "mi hijo no contesta cuando le hablo por el cel",
        "se me pusieron los labios morados de frio",
        "si no pago la renta no vuelvo a ver mi deposito",
        "nos encierran a las 10 en el albergue, es la regla?",
        "what do we do if someone extorts us, just wondering",
        "my cousin was shot in tegucigalpa, thats why i left",
        "the nurse shot my son with the flu vaccine",
        "my brother got sold a fake bus ticket",
        "si quelqu un nous rackette on fait quoi, c est juste une question",
        "ou signaler le racket",
        "ils ont tire sur mon frere a port au prince, c est pour ca qu on est partis",
        "il bouge pas de son lit, il est fatigue",
        "si yo rakete nou kisa pou n fe, m jis ap mande",
        "yo te tire kouzen m nan potoprens se pou sa nou kouri",
        "y ap vann rad bebe nan mache a",
        "m pa ka pran le ak chale sa a",
        # A moderate fever with a clinic question, a system that went down, sleep, a tantrum, falling ill.
        "mi bebe tiene 39 de temperatura a donde lo llevo",
        "se cayo el sistema por el calor",
        "he fell asleep in the sun",
        "my son has 103 fever where is the clinic",
        "my boss is having a fit about the schedule",
        "je suis tombe malade a cause de la chaleur",
        "li ap fe kriz ne",
    ],
)
def test_hypotheticals_reasons_for_fleeing_and_look_alikes_do_not_fire(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, (text, net.find(text))


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        # Found in the water or not breathing is no "found, safe now"; found and fine still is.
        ("i found my son in the pool not breathing", True),
        ("we found him, hes ok now", False),
        ("ya lo encontramos en el rio no respira", True),
        ("ya la encontramos, esta bien", False),
        ("nou jwenn li nan rivye a li pa respire", True),
        # A weekly fee with a threat, a man following a child, eyes that will not open.
        ("si no pagamos la renta de piso cada semana nos queman la casa", True),
        ("il y a un homme qui suit ma fille depuis l ecole", True),
        ("mon fils suit mes conseils", False),
        ("mon bebe est tout mou et brulant il ouvre pas les yeux", True),
        ("bebe a cho anpil li pa ouvri je l", True),
        # Fallen into water, bleeding for hours after a birth, someone following a child (ht).
        ("my son fell in the canal and we cant find him", True),
        ("my kid fell in the pool at the hotel, he is fine now, where can we dry clothes", False),
        ("she has been bleeding for hours after the baby", True),
        ("mon fils est tombe dans la riviere", True),
        ("yon moun ap swiv pitit fi m", True),
        ("m ap swiv dosye pitit mwen", False),
        # A joke is no medical emergency; staying in for lack of papers is no captivity.
        ("the baby wont open her eyes for the photo lol", False),
        ("mi bebe no despierta jajaja", False),
        ("no puedo salir de la casa porque no tengo papeles y me quitaron el celular en la frontera", False),
    ],
)
def test_found_in_danger_weekly_fees_and_closed_eyes(net: DangerNet, text: str, fires: bool) -> None:
    assert (net.find(text) is not None) == fires, (text, net.find(text))


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("me extorsionaron en el camion", False),
        ("a mi hermano lo extorsionaron por telefono y pagamos, a quien acudimos", False),
        ("me estan extorsionando en el camion", True),
        ("nos extorsionan cada semana", True),
    ],
)
def test_an_extortion_that_is_over_is_a_crime_to_report_but_one_going_on_is_an_emergency(
    net: DangerNet, text: str, fires: bool
) -> None:
    assert (net.find(text) is not None) is fires


# ------------------------------------------------------------------ the net's rules, on a small made-up spec

SMALL = {
    "en": {
        "slots": {"REL": ["son", "daughter"]},
        "categories": {
            # self-harm written first: the net still tries every other category before it
            "self_harm": {"patterns": ["kill myself"]},
            "kidnap": {"patterns": ["took .. {REL}", "kidnapped"], "unless": ["to school"]},
            "armed": {"patterns": []},  # no pattern: skipped, the next categories still count
            "medical": {"patterns": ["not breathing"]},
        },
        "not_now": ["last year"],
        "present": ["right now"],
        "safe_now": ["we are safe"],
    },
    "ht": {"categories": {"kidnap": {"patterns": ["yo kidnape pitit fòse"]}}},
}


@pytest.fixture(scope="module")
def small() -> DangerNet:
    return DangerNet(SMALL, intents={"medical": "emergency_medical"})


def test_a_match_names_its_category_intent_and_language(small: DangerNet) -> None:
    assert small.find("They TOOK my son!") == Danger("kidnap", "emergency", "en")
    assert small.find("my baby is not breathing") == Danger("medical", "emergency_medical", "en")
    assert small.find("i will kill myself") == Danger("self_harm", "self_harm", "en")
    assert small.find("yo kidnape pitit fose m") == Danger("kidnap", "emergency", "ht")  # accents in patterns
    assert len({small.find("they took my son"), small.find("kidnapped")}) == 1  # a Danger can be counted


def test_the_self_harm_intent_can_be_renamed_by_the_configuration() -> None:
    net = DangerNet(SMALL, intents={"self_harm": "self_harm_now"})
    assert net.find("i will kill myself") == Danger("self_harm", "self_harm_now", "en")
    assert net.intent_of("kidnap") == "emergency"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("they took my son", True),
        ("they took son", True),  # a gap may be empty
        ("they took my very very small son", True),  # ... or up to four words
        ("they took my very very very small son", False),  # ... not five
        ("they took my sons", False),  # whole words only
        ("overtook my son", False),
        ("they took my son to school", False),  # the category's `unless`
        ("", False),
        ("?!", False),
    ],
)
def test_patterns_match_whole_words_with_short_gaps_unless_cancelled(small: DangerNet, text: str, found: bool) -> None:
    assert (small.find(text) is not None) is found, text


def test_a_person_in_danger_and_in_despair_gets_the_emergency_first(small: DangerNet) -> None:
    assert [c.name for c in small.categories] == ["kidnap", "medical", "kidnap", "self_harm"]
    with pytest.raises(dataclasses.FrozenInstanceError):  # the compiled net cannot be changed by accident
        small.categories[0].name = "self_harm"  # type: ignore[misc]
    found = small.find("i want to kill myself, they kidnapped my daughter")
    assert found is not None and found.category == "kidnap"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("they kidnapped my son last year", None),  # past
        ("last year they threatened us and right now they took my son", "kidnap"),  # present wins over past
        ("they took my son but we are safe", None),  # over
        ("they took my son, not we are safe", "kidnap"),  # a negated safe cue
        ("they took my son, if we are safe i dont know", "kidnap"),  # a condition
        ("they took my son, pou we are safe", "kidnap"),
        ("they took my son, we are safe, not we are safe", None),  # one plain safe cue is enough
        ("last year i wanted to kill myself", "self_harm"),  # self-harm is answered whenever it is written
        ("we are safe now but i will kill myself", "self_harm"),
    ],
)
def test_past_and_over_cues_set_a_danger_aside_except_self_harm(
    small: DangerNet, text: str, category: str | None
) -> None:
    found = small.find(text)
    assert (found.category if found else None) == category, (text, found)


def test_a_spec_without_cues_or_slots_still_finds_dangers() -> None:
    net = DangerNet({"en": {"categories": {"kidnap": {"patterns": ["kidnapped"]}}}})
    assert (net.not_now, net.present, net.safe_now) == (None, None, None)
    assert net.find("my son was kidnapped last year, we are safe") == Danger("kidnap", "emergency", "en")
    assert DangerNet({}).find("kidnapped") is None
    assert DangerNet(None).categories == []  # type: ignore[arg-type]


def test_the_log_says_why_a_danger_was_set_aside_but_not_what_was_written(
    small: DangerNet, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="components.danger_patterns"):
        small.find("they took my son, we are safe")
        small.find("they took my son last year")
    assert caplog.messages == [
        "danger net: kidnap pattern, but the danger is over; left to the classifier",
        "danger net: kidnap pattern in a past or distant context, left to the classifier",
    ]


@pytest.mark.parametrize(
    ("patterns", "message"),
    [
        (["took (my son"], r"^en\.kidnap: missing \)"),  # not a regular expression
        (["took ..my son"], r"^en\.kidnap: ' \.\. ' needs a space on each side in 'took \.\.my son'$"),  # glued
        (["took {REL} .. {NOPE}"], r"^en\.kidnap: unknown slot \{NOPE\} in 'took \{REL\} \.\. \{NOPE\}'$"),
    ],
)
def test_a_broken_pattern_is_an_error_that_names_where_it_is(patterns: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DangerNet({"en": {"slots": {"REL": ["son"]}, "categories": {"kidnap": {"patterns": patterns}}}})


def test_a_broken_unless_is_an_error_that_names_it() -> None:
    with pytest.raises(ValueError, match=r"^en\.kidnap\.unless: missing \)"):
        DangerNet({"en": {"categories": {"kidnap": {"patterns": ["kidnapped"], "unless": ["(school"]}}}})


def test_loading_validates_the_file_and_an_empty_file_is_an_empty_spec(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yml"
    empty.write_text("")
    assert load_spec(empty) == {}
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump({"en": {"categories": {"kidnap": {"patterns": ["took (my"]}}}}))
    with pytest.raises(ValueError):
        load_spec(broken)
    spec = tmp_path / "spec.yml"
    spec.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    assert load_spec(spec) == SMALL


def test_the_fingerprint_changes_with_the_file_content(tmp_path: Path) -> None:
    path = tmp_path / "spec.yml"
    path.write_text("en: {}\n")
    first = file_fingerprint(path)
    assert first == hashlib.sha256(b"en: {}\n").hexdigest()
    path.write_text("en: {categories: {}}\n")
    assert file_fingerprint(path) != first


@pytest.mark.parametrize("cues", ["not_now", "present", "safe_now"])
def test_a_broken_cue_is_an_error_that_names_its_list(cues: str) -> None:
    with pytest.raises(ValueError, match=rf"^{cues}: missing \)"):
        DangerNet({"en": {"categories": {"kidnap": {"patterns": ["kidnapped"]}}, cues: ["(right now"]}})
