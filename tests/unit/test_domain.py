"""Responses: every one speaks every language, has a default, and only uses known slots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.next_steps import get_next_steps
from tools.variations import language_of

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
LANGUAGES = ["en", "fr", "ht"]  # Spanish is the unconditional default variation
FREE_LINE = {  # docs/glossary.yml: free_of_charge (worker variations may say it impersonally)
    "es": ("Es gratis. Nadie puede cobrar", "para acelerarlo."),
    "en": ("It is free. Nobody can charge", "to speed it up."),
    "fr": ("C'est gratuit. Personne ne peut", "pour aller plus vite."),
    "ht": ("Li gratis. Pèsonn pa ka fè", "pou l al pi vit."),
}
PLACEHOLDER = re.compile(r"(?<!{){([a-z_]+)}(?!})")




@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_every_response_has_a_default_and_every_language(name: str) -> None:
    variations = DOMAIN["responses"][name]
    assert any("condition" not in v for v in variations), f"{name} has no unconditional (Spanish) default"
    for language in LANGUAGES:
        assert any(language_of(v) == language for v in variations), f"{name} has no '{language}' variation"


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_placeholders_are_slots(name: str) -> None:
    for variation in DOMAIN["responses"][name]:
        for placeholder in PLACEHOLDER.findall(variation.get("text", "")):
            assert placeholder in DOMAIN["slots"], f"{name}: {{{placeholder}}} is not a slot"


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_conditional_variations_cover_the_same_results_in_every_language(name: str) -> None:
    def results(language: str | None) -> set[str]:
        return {
            str(c["value"])
            for v in DOMAIN["responses"][name]
            if language_of(v) == language
            for c in v.get("condition", [])
            if c["name"] == "lookup_result"
        }

    spanish = results("es")
    for language in LANGUAGES:
        assert results(language) >= spanish, name


def test_button_payloads_are_intents_of_the_domain() -> None:
    intents = set(DOMAIN["intents"])
    for name, variations in DOMAIN["responses"].items():
        for variation in variations:
            for button in variation.get("buttons", []):
                if re.fullmatch(r"{[a-z_0-9]+}", button["payload"]):  # filled by an action (utter_suggest_topics)
                    assert button["payload"][1:-1] in DOMAIN["slots"], (name, button)
                    continue
                intent = button["payload"].lstrip("/").split("{")[0]
                assert intent in intents, (name, button)


FACT_RESPONSES = {
    "utter_ask_asylum_deadline", "utter_ask_procedure_cost", "utter_ask_asylum_obligations", "utter_ask_best_interest",
    "utter_ask_us_process", "utter_ask_school_health", "utter_ask_lost_documents",
}
ANSWERS = sorted(n for n in DOMAIN["responses"] if (n.startswith("utter_need_") or n in FACT_RESPONSES)
                 and not n.endswith("_details"))
# Answers about something nobody could sell (a right, a protection, a shelter) or that may carry official or
# consular fees (lost documents): "it is free, nobody can charge you to speed it up" does not belong there.
NOT_A_FREE_PROCEDURE = {
    "utter_ask_school_health", "utter_ask_lost_documents", "utter_ask_us_process", "utter_need_child_protection",
    "utter_need_child_detained", "utter_ask_best_interest", "utter_need_humanitarian_help",
}
PROCEDURE_RESPONSES = [n for n in ANSWERS if n not in NOT_A_FREE_PROCEDURE]


# Procedures with official fees say what is free and that the rest pays only the official fees, instead of a
# blanket "it is free" that the same answer contradicts.
FEE_LINE = {
    "es": ("La TVRH es gratis; otros trámites solo pagan los derechos oficiales. Nadie puede cobrar",
           "para acelerarlo."),
    "en": ("The TVRH is free; other procedures only pay the official fees. Nobody can charge", "to speed it up."),
    "fr": ("La TVRH est gratuite ; pour les autres démarches, on paie seulement les droits officiels. Personne ne peut",
           "pour aller plus vite."),
    "ht": ("TVRH a gratis; lòt demach yo peye sèlman frè ofisyèl yo. Pèsonn pa ka fè", "pou l al pi vit."),
}
WITH_FEES = {"utter_need_immigration_status"}


@pytest.mark.parametrize("name", PROCEDURE_RESPONSES)
def test_every_procedure_answer_says_it_is_free_and_nobody_can_charge(name: str) -> None:
    for variation in DOMAIN["responses"][name]:
        text = variation["text"]
        start, end = (FEE_LINE if name in WITH_FEES else FREE_LINE)[language_of(variation) or "es"]
        assert start in text and end in text, (name, variation.get("condition"))
        if name in WITH_FEES:
            assert FREE_LINE[language_of(variation) or "es"][0] not in text, (name, "a blanket 'it is free'")
    steps = get_next_steps().get(name)
    assert steps is not None and steps.feedback, f"{name}: no 👍/👎 under it (directory/next_steps.yml)"


@pytest.mark.parametrize("name", sorted(NOT_A_FREE_PROCEDURE))
def test_the_free_line_is_not_appended_where_it_does_not_belong(name: str) -> None:
    for variation in DOMAIN["responses"][name] + DOMAIN["responses"].get(name + "_details", []):
        assert "💸" not in variation["text"], (name, variation.get("condition"))
        assert FREE_LINE[language_of(variation) or "es"][0] not in variation["text"], name


@pytest.mark.parametrize("name", ANSWERS)
def test_worker_and_family_variations_never_both_match(name: str) -> None:
    """Rasa picks at random among matching variations: family ones must exclude workers."""
    for variation in DOMAIN["responses"][name]:
        conditions = {c["name"]: c["value"] for c in variation.get("condition", [])}
        if conditions.get("language") in LANGUAGES:
            assert "audience" in conditions, (name, conditions)
    assert any({"name": "audience", "type": "slot", "value": "worker"} in v.get("condition", [])
               for v in DOMAIN["responses"][name]), name


def _can_both_match(first: dict, second: dict) -> bool:
    """Two conditional variations can match at once unless some slot must hold different values."""
    one = {c["name"]: c["value"] for c in first.get("condition", [])}
    other = {c["name"]: c["value"] for c in second.get("condition", [])}
    return all(
        str(one[slot]).casefold() == str(other[slot]).casefold() for slot in one.keys() & other.keys()
    )


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_no_two_conditional_variations_can_match_at_once(name: str) -> None:
    """Rasa picks at random among matching conditional variations: each must exclude the others."""
    conditional = [v for v in DOMAIN["responses"][name] if "condition" in v]
    for i, first in enumerate(conditional):
        for second in conditional[i + 1:]:
            assert not _can_both_match(first, second), (name, first["condition"], second["condition"])


ACTION_FILLED = sorted(
    name for name, variations in DOMAIN["responses"].items()
    if any(c["name"] == "lookup_result" for v in variations for c in v.get("condition", []))
)


# Replies about something the action server does rather than looks up: with it down they say the thing
# could not be done, without the emergency lines (the deletion of a conversation).
NOT_A_LOOKUP = {"utter_data_deleted"}


@pytest.mark.parametrize("name", ACTION_FILLED)
def test_a_reply_that_needs_a_lookup_says_so_when_the_lookup_is_impossible(name: str) -> None:
    """`lookup_result` is `unavailable` until an action replaces it: with the action server down, the
    reply says so and gives the emergency number and the lines answered by people, never stale data."""
    for language in ["es", *LANGUAGES]:
        matching = [
            v for v in DOMAIN["responses"][name]
            if {"type": "slot", "name": "lookup_result", "value": "unavailable"} in v.get("condition", [])
            and language_of(v) == language
        ]
        assert len(matching) == 1, (name, language)
        if name in NOT_A_LOOKUP:
            continue
        assert "{emergency_number}" in matching[0]["text"] or name == "utter_handoff", name
        assert "{main_contacts}" in matching[0]["text"], name


def test_every_user_message_resets_the_lookup_result() -> None:
    mappings = DOMAIN["slots"]["lookup_result"]["mappings"]
    assert {"type": "from_intent", "value": "unavailable"} in mappings


def test_every_language_has_the_same_number_of_responses_and_variations() -> None:
    """Each of the four languages has a variation for every case of every response (Spanish's include the
    unconditional defaults)."""
    counts = {language: 0 for language in ["es", *LANGUAGES]}
    for variations in DOMAIN["responses"].values():
        for variation in variations:
            counts[language_of(variation) or "es"] += 1
    assert len(set(counts.values())) == 1, counts


# --- safety-relevant wording (../shared/review/fr-ht-review.md) ------------------------------------------------

BARE_JANM = re.compile(r"(?<![Pp]a )(?<![Pp]a t )(?<!p ap )\bjanm\b")  # "janm" alone means "ever", not "never"


def ht_texts() -> list[str]:
    texts = [v.get("text", "") for r in DOMAIN["responses"].values() for v in r if language_of(v) == "ht"]
    directory = yaml.safe_load((ROOT / "directory" / "referral_directory.yml").read_text(encoding="utf-8"))
    texts += [i["role"].get("ht", "") for i in directory["institutions"]]
    return texts


def test_creole_never_says_ever_where_it_means_never() -> None:
    """"DIF loje timoun nan, janm nan yon estasyon migratwa" turned the ban on detaining children into its
    opposite; every "janm" needs its "pa"."""
    wrong = [text for text in ht_texts() if BARE_JANM.search(text)]
    assert not wrong, wrong


def test_the_signing_obligation_is_usually_weekly_not_many_times_a_week() -> None:
    everything = yaml.safe_dump(DOMAIN["responses"], allow_unicode=True)
    for wrong in ("anpil fwa chak semèn", "muchas veces cada semana", "INM pa ka prezante"):
        assert wrong not in everything


def test_no_reply_shows_internal_wording() -> None:
    """Users see what the assistant knows, not how the team's reference file is organised."""
    everything = yaml.safe_dump(DOMAIN["responses"], allow_unicode=True)
    for internal in ("referencia verificada", "verified reference", "référence vérifiée", "referans ki verifye",
                     "referans verifye"):
        assert internal not in everything


def test_grupos_beta_are_listed_in_the_eight_states_of_the_2025_source() -> None:
    """institutions_gaps.yml, grupos_beta_coverage_2025: BC, Sonora, Chihuahua, Tamaulipas, Veracruz, Tabasco,
    Chiapas and Oaxaca (Coahuila was on INM pages until 2024, not since)."""
    for response in DOMAIN["responses"].values():
        for variation in response:
            for listed in re.findall(r"Grupos Beta[^(]{0,12}\(([^)]*)\)", variation.get("text", "")):
                assert "Coahuila" not in listed and "Oaxaca" in listed, listed


def test_claims_the_sources_do_not_hold_are_gone() -> None:
    """Issue 15: the Migration Law article and the SEP norms were cited with no source in the reference or the
    directory; the school answer now cites what its sources say (idconline.mx 2022, Conexión Migrante 2026)."""
    everything = yaml.safe_dump(DOMAIN["responses"], allow_unicode=True)
    for unsourced in ("Ley de Migración art. 8;", "Migration Law art. 8", "atik 8;", "Normas Específicas de Control"):
        assert unsourced not in everything
