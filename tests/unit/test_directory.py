"""The referral directory: schema, provenance, coverage of the Commission's members."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from actions.directory import DirectoryError, get_directory, load_directory, parse, validate
from tools import build_nlu_lookups

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY_FILE = ROOT / "directory" / "referral_directory.yml"

# Every member listed on the Commission's source page (shared/reference/000_*.txt), by directory id.
MEMBERS_IN_SOURCE_PAGE = [
    "segob", "inm", "comar", "upmrip", "bienestar", "sre", "sspc", "sndif_pfpnna", "conago",
    "conapred", "ceav", "cndh", "senado", "camara_diputados", "acnur", "unicef", "oim", "onudh",
    "pnud", "sociedad_civil",
]


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(DIRECTORY_FILE.read_text(encoding="utf-8"))


def test_directory_file_is_valid() -> None:
    directory = load_directory(DIRECTORY_FILE)
    assert len(directory.institutions) >= len(MEMBERS_IN_SOURCE_PAGE)


@pytest.mark.parametrize("member_id", MEMBERS_IN_SOURCE_PAGE)
def test_every_member_of_the_source_page_is_in_the_directory(member_id: str) -> None:
    institution = get_directory().get(member_id)
    assert institution is not None, member_id
    assert institution.is_member


def test_every_contact_carries_a_source_and_a_verification_date() -> None:
    directory = get_directory()
    items = directory.all_sourced_items()
    assert len(items) > len(directory.facts) + sum(len(i.sourced_items()) for i in directory.institutions)  # states too
    for item in items:
        assert item.source.startswith("http"), item
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item.verified_on), item


def test_a_missing_source_is_reported_with_entry_and_field(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    comar = next(i for i in broken["institutions"] if i["id"] == "comar")
    del comar["phones"][0]["source"]
    with pytest.raises(DirectoryError, match=r"institutions\[comar\]\.phones\[0\].*'source' is a required property"):
        validate(broken)


def test_a_low_confidence_item_is_rejected(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    cndh = next(i for i in broken["institutions"] if i["id"] == "cndh")
    cndh["phones"][0]["confidence"] = "low"
    with pytest.raises(DirectoryError, match=r"institutions\[cndh\]\.phones\[0\]\.confidence"):
        validate(broken)


def test_a_topic_pointing_nowhere_is_reported(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    broken["topics"]["asylum"].append("nobody")
    with pytest.raises(DirectoryError, match=r"topics\.asylum: unknown institution 'nobody'"):
        validate(broken)


def test_emergency_lines_must_be_directory_phones(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    broken["emergency_lines"]["emergency_number"]["number"] = "112"
    with pytest.raises(DirectoryError, match=r"emergency_lines\.emergency_number"):
        validate(broken)


def test_parse_keeps_every_institution(raw: dict) -> None:
    validate(raw)
    assert [i.id for i in parse(raw).institutions] == [i["id"] for i in raw["institutions"]]


DEBUNKED = re.compile(r"800[ -]?004[ -]?6264")  # institutions_gaps.yml: phone_unverified_circulating (INM denied it)
NOT_OURS = {".git", ".venv", "node_modules", "models", "results", "var", ".mypy_cache", ".ruff_cache", "__pycache__"}


def files_mentioning(pattern: re.Pattern[str], root: Path, skip: set[Path]) -> list[str]:
    """Every text file of the repository (no git needed: a tarball or a copy is checked the same way)."""
    found = []
    for path in root.rglob("*"):
        if not path.is_file() or path in skip or NOT_OURS & set(path.relative_to(root).parts):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if pattern.search(text):
            found.append(str(path.relative_to(root)))
    return found


def test_the_debunked_circulating_number_is_published_nowhere() -> None:
    assert files_mentioning(DEBUNKED, ROOT, skip={Path(__file__).resolve()}) == []


def test_the_guard_finds_the_number_in_any_file_without_git(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "page.html").write_text("Llama al 800 004 6264", encoding="utf-8")
    (tmp_path / "notes.md").write_text("nada", encoding="utf-8")
    assert files_mentioning(DEBUNKED, tmp_path, skip=set()) == ["web/page.html"]


PHONE = re.compile(r"(?<![\w{])(\+?52[ -]?)?\(?\d{2,3}\)?[ -]\d{3,4}[ -]\d{4}(?!\d)|800[ -]?\d{3}[ -]?\d{4}")
URL = re.compile(r"https?://|www\.", re.IGNORECASE)


@pytest.mark.parametrize(
    "path", ["domain.yml", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data").rglob("*.yml"))]
)
def test_no_phone_number_or_url_outside_the_directory(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert not PHONE.search(text), PHONE.search(text)
    assert not URL.search(text), URL.search(text)


def test_emergency_numbers_are_not_written_into_responses() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variations in domain["responses"].items():
        for variation in variations:
            assert not re.search(r"\b(911|089)\b", variation.get("text", "")), name


def test_the_domain_mirrors_the_directory_emergency_numbers() -> None:
    """The two emergency slots start with the directory's numbers (so they are there even when the action
    server is down when a conversation starts); this is the only copy, and it must stay equal."""
    slots = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["slots"]
    for slot, number in get_directory().emergency_lines.items():
        assert slots[slot]["initial_value"] == number, slot


def test_generated_lookup_tables_are_up_to_date() -> None:
    committed = (ROOT / "data" / "nlu" / "lookups.yml").read_text(encoding="utf-8")
    assert committed == build_nlu_lookups.render(), "run: .venv/bin/python tools/build_nlu_lookups.py"


def test_institution_names_resolve_whatever_the_spelling() -> None:
    directory = get_directory()
    assert directory.resolve("ACNUR").id == "acnur"  # type: ignore[union-attr]
    assert directory.resolve("Migración").id == "inm"  # type: ignore[union-attr]
    assert directory.find_in_text("telefono de la comarr").id == "comar"  # type: ignore[union-attr]
    assert directory.find_in_text("what does the unhcr do").id == "acnur"  # type: ignore[union-attr]
    assert directory.find_in_text("quiero regresar a mi casa") is None


# --- the directory against the dossier (directory/reference_sources.yml, generated from it) -------------------
REGISTER = yaml.safe_load((ROOT / "directory" / "reference_sources.yml").read_text(encoding="utf-8"))


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def dossier_mismatches(institutions: list[dict], register: dict) -> list[str]:
    """Phones and office addresses that cite a dossier source but differ from what the dossier gives for that
    source: a changed digit, a changed street number."""
    given: dict[str, set[str]] = {}
    for contact in register["contacts"]:
        value = contact.get("phone") or contact.get("address") or ""
        given.setdefault(contact["source"], set()).add(digits(str(value)))
    wrong = []
    for institution in institutions:
        items = [(p["number"], p["source"]) for p in institution.get("phones", [])]
        items += [(o["address"], o["source"]) for o in institution.get("offices", []) if o.get("address")]
        for value, source in items:
            if source in given and digits(str(value)) and digits(str(value)) not in given[source]:
                wrong.append(f"{institution['id']}: {value} ({source})")
    return wrong


def test_phones_and_street_numbers_match_the_dossier_for_the_same_source(raw: dict) -> None:
    assert dossier_mismatches(raw["institutions"], REGISTER) == []


def unchecked_numbers(institutions: list[dict], register: dict) -> list[str]:
    """Phones and street numbers whose source the dossier does not hold and whose `evidence` (the sentence of
    the source that prints them) does not contain their digits: nothing would catch a changed digit."""
    in_dossier = {contact["source"] for contact in register["contacts"]}
    missing = []
    for institution in institutions:
        items = [(p["number"], p) for p in institution.get("phones", [])]
        items += [(o["address"], o) for o in institution.get("offices", []) if o.get("address")]
        for value, item in items:
            numbers = re.findall(r"\d+", str(value).split("(")[0])
            evidence = digits(item.get("evidence", ""))
            if numbers and item["source"] not in in_dossier and not all(n in evidence for n in numbers):
                missing.append(f"{institution['id']}: {value}")
    return missing


def test_every_phone_and_street_number_is_checked_against_its_source(raw: dict) -> None:
    assert unchecked_numbers(raw["institutions"], REGISTER) == []


def test_a_changed_digit_in_a_contact_with_evidence_is_caught(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    line = next(p for i in broken["institutions"] for p in i["phones"] if p.get("evidence"))
    line["number"] = line["number"][:-1] + str((int(line["number"][-1]) + 1) % 10)
    assert len(unchecked_numbers(broken["institutions"], REGISTER)) == 1


def test_a_changed_digit_or_street_number_is_caught(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    comar = next(i for i in broken["institutions"] if i["id"] == "comar")
    checked = [o for o in comar["offices"] if o.get("address") and digits(o["address"]) and any(
        c["source"] == o["source"] for c in REGISTER["contacts"])]
    assert checked, "no COMAR office address is checked against the dossier"
    checked[0]["address"] = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), checked[0]["address"], count=1)
    assert len(dossier_mismatches(broken["institutions"], REGISTER)) == 1


def test_the_core_topics_go_to_the_institutions_that_handle_them(raw: dict) -> None:
    """The routing the assistant exists for (asylum to COMAR, papers to INM, a child to the Procuraduría via DIF,
    complaints to the CNDH, discrimination to CONAPRED, crime victims to CEAV, return to IOM, humanitarian help
    to UNHCR): the first institution of each topic."""
    first = {topic: institutions[0] for topic, institutions in raw["topics"].items()}
    assert first["asylum"] == "comar" and first["immigration_status"] == "inm"
    assert first["child_protection"] == "sndif_pfpnna" and first["child_detention"] == "sndif_pfpnna"
    assert first["human_rights_complaint"] == "cndh" and first["discrimination"] == "conapred"
    assert first["crime_victims"] == "ceav" and first["voluntary_return"] == "oim"
    assert first["humanitarian_aid"] == "acnur" and first["emergency"] == "sspc"
