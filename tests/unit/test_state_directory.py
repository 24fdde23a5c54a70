"""The state files (`directory/states/<state>.yml`): one per state, every contact sourced, quoted and local.

Each phone carries `evidence`, the sentence of its source page that prints it; the number must be in that
sentence, so a digit changed by hand (or a number copied from another line) fails here.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.directory import DirectoryError, get_directory, load_states
from actions.local_contacts import ActionLocalContacts
from actions.places import get_gazetteer
from common.text import fold
from tests.conftest import make_tracker, run_action

ROOT = Path(__file__).resolve().parent.parent.parent
STATES_DIR = ROOT / "directory" / "states"
FILES = sorted(STATES_DIR.glob("*.yml"))
SHORT_CODES = {"070", "075", "089", "911"}


@cache
def raw(path: Path) -> dict[str, Any]:
    """A state file as parsed (read once: the tests only read it)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def phones(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, phone) for every phone of a state file."""
    found = [(kind, p) for kind in ("child_protection", "human_rights_commission") for p in data[kind]["phones"]]
    found += [(f"shelters[{s['id']}]", p) for s in data["shelters"] for p in s["phones"]]
    return found


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_every_state_has_a_file_named_after_it() -> None:
    names = {fold(state).replace(" ", "_"): state for state in get_gazetteer().states}
    assert {p.stem for p in FILES} == set(names)
    for path in FILES:
        assert raw(path)["state"] == names[path.stem], path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_phone_is_quoted_from_its_source(path: Path) -> None:
    for where, phone in phones(raw(path)):
        number = phone["number"].split(" ext.")[0]
        assert phone.get("evidence"), f"{path.name} {where}: {number} has no evidence quote"
        assert digits(number) in digits(phone["evidence"]), f"{path.name} {where}: {number} is not in its evidence"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_number_can_be_dialled_as_written(path: Path) -> None:
    """Ten digits (Mexico dials every number with its area code since 2019) or a three-digit service code."""
    for where, phone in phones(raw(path)):
        number = digits(phone["number"].split(" ext.")[0])
        assert len(number) == 10 or number in SHORT_CODES, f"{path.name} {where}: {phone['number']}"


def test_no_state_borrows_another_states_number() -> None:
    owners: dict[str, set[str]] = {}
    for path in FILES:
        for _, phone in phones(raw(path)):
            number = digits(phone["number"].split(" ext.")[0])
            if number not in SHORT_CODES:
                owners.setdefault(number, set()).add(path.stem)
    shared = {number: states for number, states in owners.items() if len(states) > 1}
    assert not shared


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_shelters_are_in_a_city_of_their_own_state(path: Path) -> None:
    data = raw(path)
    for shelter in data["shelters"]:
        place = get_gazetteer().resolve(shelter["city"])
        assert place is not None, f"{path.name}: add {shelter['city']!r} to directory/places.yml"
        assert place.state == data["state"], f"{path.name}: {shelter['city']} is in {place.state}"


def test_no_check_date_is_in_the_future() -> None:
    today = date.today().isoformat()
    for state in get_directory().states.values():
        for item in state.sourced_items():
            assert item.verified_on <= today, (state.state, item.source)


def test_a_state_body_without_phones_must_say_what_was_searched(tmp_path: Path) -> None:
    data = raw(STATES_DIR / "chihuahua.yml")
    data["child_protection"].update(phones=[], not_found=None)
    (tmp_path / "chihuahua.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError, match=r"child_protection\.not_found"):
        load_states(tmp_path)


def test_two_files_for_one_state_are_refused(tmp_path: Path) -> None:
    text = (STATES_DIR / "sonora.yml").read_text(encoding="utf-8")
    (tmp_path / "sonora.yml").write_text(text, encoding="utf-8")
    (tmp_path / "sonora_copy.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DirectoryError, match="already has a file"):
        load_states(tmp_path)


# --- the real data, as a family meets it ---------------------------------------------------------------------


def local_messages(text: str, intent: str, **slots: Any) -> list[dict[str, Any]]:
    messages, _ = run_action(ActionLocalContacts(), make_tracker(text, intent, slots=slots))
    return messages


def test_a_child_alone_in_cuernavaca_gets_the_morelos_line_and_no_other() -> None:
    [message] = local_messages("estoy sola en cuernavaca", "child_alone")
    assert message["response"] == "utter_local_found"
    assert "800 831 8884" in message["local_lines"]
    assert "55 2793 1424" not in message["local_lines"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("topic", ["child_protection", "human_rights_complaint", "humanitarian_aid"])
def test_every_state_gets_its_own_answer_or_the_honest_none(path: Path, topic: str) -> None:
    state = raw(path)["state"]
    [message] = local_messages(f"estoy en {state}", "ask_contacts", topic=topic)
    assert message["response"].startswith("utter_local_")
    assert message["response"] != "utter_local_need_place"
    numbers = {digits(p["number"]) for other in FILES if other != path for _, p in phones(raw(other))} - {
        digits(p["number"]) for _, p in phones(raw(path))
    }
    shown = digits(message.get("local_lines", ""))
    assert not any(len(n) == 10 and n in shown for n in numbers), f"{state}: another state's number"


def test_the_coverage_table_has_a_row_per_state(capsys: pytest.CaptureFixture[str]) -> None:
    from tools import local_coverage

    local_coverage.main()
    out = capsys.readouterr().out
    assert out.count("\n| ") == 32  # a row per state (the header starts the output)
    assert "| Morelos | 800 831 8884 (lacronicademorelos.com, undated) |" in out
