"""Plain language, measured (tools/readability.py): family replies stay easy to read in every language.

Bounds: textstat's Flesch reading ease in the language's formula (Fernández-Huerta for Spanish, Kandel-Moles for
French), per language on average and for every reply, and sentence length in words for all four languages
(Haitian Creole has no published formula). The figures per language: `make readability`.
"""

from __future__ import annotations

import pytest

from tools.readability import FORMULA_LANGUAGES, LANGUAGES, Score, plain_text, score, scores, summary

SCORES = scores()
MEAN_EASE_AT_LEAST = {"es": 80.0, "en": 68.0, "fr": 80.0}  # "easy" to "fairly easy" in each formula
# No reply reads like a contract (legal prose scores below 0). English scores the Spanish names of institutions
# ("Procuraduría de Protección") as long words, hence its lower floor.
EVERY_REPLY_EASE_AT_LEAST = {"es": 40.0, "en": 30.0, "fr": 40.0}
LONGEST_SENTENCE_WORDS = 30
WORDS_PER_SENTENCE_AT_MOST = 12.0  # on average, per language


def test_every_language_is_scored() -> None:
    assert {s.language for s in SCORES} == set(LANGUAGES)


@pytest.mark.parametrize("language", FORMULA_LANGUAGES)
def test_replies_are_easy_to_read_on_average(language: str) -> None:
    assert summary(SCORES)[language]["mean_ease"] >= MEAN_EASE_AT_LEAST[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sentences_are_short_on_average(language: str) -> None:
    assert summary(SCORES)[language]["words_per_sentence"] <= WORDS_PER_SENTENCE_AT_MOST


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_reply_is_hard_to_read_and_no_sentence_runs_on(language: str) -> None:
    hard = [(s.response, round(s.ease, 1)) for s in SCORES
            if s.language == language and s.ease is not None and s.ease < EVERY_REPLY_EASE_AT_LEAST[language]]
    long = [(s.response, s.longest_sentence) for s in SCORES
            if s.language == language and s.longest_sentence > LONGEST_SENTENCE_WORDS]
    assert not hard, f"hard to read ({language}): {hard}"
    assert not long, f"sentences over {LONGEST_SENTENCE_WORDS} words ({language}): {long}"


def test_a_legal_paragraph_scores_as_hard_and_a_plain_one_as_easy() -> None:
    legal = ("La autoridad administrativa competente determinará, mediante resolución debidamente fundada y "
             "motivada, la procedencia de la solicitud de reconocimiento de la condición de refugiado, "
             "considerando exhaustivamente las circunstancias particulares acreditadas.")
    plain = "Puedes pedir refugio. Es gratis. Ve a la oficina de la COMAR."
    hard, easy = score("x", "es", legal).ease, score("x", "es", plain).ease
    assert hard is not None and easy is not None
    assert hard < EVERY_REPLY_EASE_AT_LEAST["es"] < easy


def test_placeholders_links_and_list_numbers_are_not_read() -> None:
    assert plain_text("1. Llama al {emergency_number}\nVe a www.gob.mx/comar") == "Llama al. Ve a."


def test_a_score_carries_its_reply() -> None:
    assert isinstance(SCORES[0], Score) and SCORES[0].response
