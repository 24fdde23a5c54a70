"""Place matching: the 32 states, city names, common aliases and misspellings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.places import Place, get_gazetteer

STATES = [s["name"] for s in yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "directory" / "places.yml").read_text(encoding="utf-8")
)["states"]]


def test_all_32_states_are_known() -> None:
    assert len(STATES) == 32
    assert get_gazetteer().states == STATES  # in the file's order


@pytest.mark.parametrize("state", STATES)
def test_every_state_resolves_by_name_with_or_without_accents(state: str) -> None:
    gazetteer = get_gazetteer()
    assert gazetteer.resolve(state) == Place(state)
    assert gazetteer.resolve(state.upper().replace("É", "E").replace("Á", "A").replace("Í", "I")) == Place(state)


@pytest.mark.parametrize(
    ("typed", "state", "city"),
    [
        ("cdmx", "Ciudad de México", None),
        ("DF", "Ciudad de México", None),
        ("edomex", "Estado de México", None),
        ("tapachla", "Chiapas", "Tapachula"),
        ("monterey", "Nuevo León", "Monterrey"),
        ("cuidad juarez", "Chihuahua", "Ciudad Juárez"),
        ("tijuan", "Baja California", "Tijuana"),
        ("nuevo lion", "Nuevo León", None),
        ("Tuxtla", "Chiapas", "Tuxtla"),
        ("naucalpan", "Estado de México", "Naucalpan"),
    ],
)
def test_aliases_and_misspellings(typed: str, state: str, city: str | None) -> None:
    assert get_gazetteer().resolve(typed) == Place(state, city)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("donde esta la comar en tapachla chiapas", Place("Chiapas", "Tapachula")),
        ("vivo en nuevo leon con mis hijos", Place("Nuevo León")),
        ("is there an office in mexico city", Place("Ciudad de México")),
        ("estoy en cuidad juarez", Place("Chihuahua", "Ciudad Juárez")),
    ],
)
def test_places_are_found_inside_messages(message: str, expected: Place) -> None:
    assert get_gazetteer().find_in_text(message) == expected


@pytest.mark.parametrize("message", ["necesito comida para mi señora", "la comida del pueblo", "hola", "mexico"])
def test_ordinary_words_are_not_places(message: str) -> None:
    assert get_gazetteer().find_in_text(message) is None


@pytest.mark.parametrize(
    ("message", "state"),
    [
        ("estoy en mty con mis hijos", "Nuevo León"),
        ("mi hijo esta en un albergue en tj", "Baja California"),
        ("we are in cd juarez", "Chihuahua"),
        ("ando en gdl", "Jalisco"),
        ("toy en oax", "Oaxaca"),
    ],
)
def test_city_abbreviations_people_type_give_their_state(message: str, state: str) -> None:
    found = get_gazetteer().find_in_text(message)
    assert found is not None and found.state == state, (message, found)


@pytest.mark.parametrize("message", ["I need to go bc they refused me", "tengo un chisme", "la guardia me dijo"])
def test_words_that_look_like_abbreviations_are_not_places(message: str) -> None:
    assert get_gazetteer().find_in_text(message) is None


# Ordinary words one or two letters from a place name ("colina" / Colima, "cancion" / Cancún, "sonrisa" /
# Sonora): the matching threshold (PLACE_MATCH_THRESHOLD, 85) is what keeps them from being taken for places.
NEAR_MISSES = ["subimos una colina", "una cancion para mi hija", "con una sonrisa", "la morena de la tienda",
               "vivo en una colonia pobre", "necesito comida"]


@pytest.mark.parametrize("message", NEAR_MISSES)
def test_words_close_to_a_place_name_are_not_places(message: str) -> None:
    assert get_gazetteer().find_in_text(message) is None


def test_the_threshold_is_what_keeps_the_near_misses_out() -> None:
    from actions.places import load_gazetteer
    from common.settings import load_settings

    settings = load_settings()
    assert settings.place_match_threshold == 85
    looser = load_gazetteer(settings.places_file, 75)
    assert [m for m in NEAR_MISSES if looser.find_in_text(m) is not None], "no near miss depends on the threshold"


def test_a_place_reads_city_then_state_or_the_state_alone() -> None:
    assert Place("Chiapas", "Tapachula").display == "Tapachula, Chiapas"
    assert Place("Chiapas").display == "Chiapas"
    assert len({Place("Chiapas"), Place("Chiapas"), Place("Chiapas", "Tapachula")}) == 2  # usable as a key


@pytest.mark.parametrize("value", [None, "", "   ", "?!"])
def test_nothing_typed_is_no_place(value: str | None) -> None:
    assert get_gazetteer().resolve(value) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("publa", Place("Puebla")),  # five letters: long enough to forgive a typo
        ("tepicc", Place("Nayarit", "Tepic")),  # a five-letter city is matched with a typo too
        ("tampss", Place("Tamaulipas")),
    ],
)
def test_a_typo_in_a_five_letter_word_is_forgiven(typed: str, expected: Place) -> None:
    assert get_gazetteer().resolve(typed) == expected


@pytest.mark.parametrize("typed", ["tams", "pue", "slpp", "bcs1"])
def test_shorter_words_must_be_exact(typed: str) -> None:
    assert get_gazetteer().resolve(typed) is None


def test_a_seven_letter_word_in_a_message_is_forgiven_a_typo_but_a_shorter_one_is_not() -> None:
    gazetteer = get_gazetteer()
    assert gazetteer.find_in_text("estoy en chiapaz") == Place("Chiapas")
    assert gazetteer.find_in_text("vivo en publa") is None  # "publa" alone resolves, but not inside a message


def test_a_five_word_city_is_found_inside_a_message() -> None:
    assert get_gazetteer().find_in_text("vivo en san cristobal de las casas con mis hijos") == Place(
        "Chiapas", "San Cristóbal de las Casas")


def test_the_longest_name_wins_and_a_city_wins_a_tie_with_a_state() -> None:
    gazetteer = get_gazetteer()
    assert gazetteer.find_in_text("vengo de tijuana y voy a chiapas") == Place("Baja California", "Tijuana")
    assert gazetteer.find_in_text("vengo de chiapas y voy a tijuana") == Place("Baja California", "Tijuana")
    assert gazetteer.find_in_text("de tijuana a san luis potosi") == Place("San Luis Potosí")


def test_the_gazetteer_is_loaded_once() -> None:
    assert get_gazetteer() is get_gazetteer()
