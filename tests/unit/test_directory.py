"""The referral directory: schema, provenance, coverage of the Commission's members."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from actions import directory as directory_module
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


# --- the typed directory, rule by rule -------------------------------------------------------------------------


def test_localized_text_falls_back_to_spanish() -> None:
    from actions.directory import FALLBACK_LANGUAGE, localized

    assert FALLBACK_LANGUAGE == "es"
    assert localized({"es": "hola", "en": "hello"}, "en") == "hello"
    assert localized({"es": "hola", "en": ""}, "en") == "hola"
    assert localized({"es": "hola"}, "ht") == "hola"


def test_short_names_members_and_sourced_items_of_an_institution() -> None:
    directory = get_directory()
    acnur, comar, sipinna = directory.get("acnur"), directory.get("comar"), directory.get("sipinna")
    assert acnur is not None and comar is not None and sipinna is not None
    assert (acnur.short_name("en"), acnur.short_name("ht"), comar.short_name("en")) == ("UNHCR", "ACNUR", "COMAR")
    assert comar.is_member is True and sipinna.is_member is False
    items = comar.sourced_items()
    assert items == [*comar.phones, *comar.emails, *comar.links, *comar.offices, comar.website]
    assert directory.get("nobody") is None


def test_names_resolve_by_id_acronym_alias_or_one_part_of_a_double_acronym() -> None:
    directory = get_directory()
    assert directory.resolve(None) is None and directory.resolve("") is None
    assert [directory.resolve(n).id for n in ("sndif_pfpnna", "DIF / PFPNNA", "pfpnna", "UNHCR", " oim ",  # type: ignore[union-attr]
                                              "Cancillería", "comar")] == [
        "sndif_pfpnna", "sndif_pfpnna", "sndif_pfpnna", "acnur", "oim", "sre", "comar"]
    assert directory.resolve("nadie") is None


def test_each_part_of_a_double_acronym_resolves_even_when_it_is_not_an_alias() -> None:
    from dataclasses import replace

    directory = get_directory()
    dif = directory.get("sndif_pfpnna")
    assert dif is not None and dif.acronym == "DIF / PFPNNA"
    bare = replace(directory, institutions=(replace(dif, aliases=()),))
    assert [bare.resolve(n).id for n in ("pfpnna", "DIF", "dif / pfpnna")] == ["sndif_pfpnna"] * 3  # type: ignore[union-attr]
    assert bare.resolve("pfp") is None


def test_the_longest_alias_written_out_wins_else_the_closest_near_miss() -> None:
    directory = get_directory()
    found = {text: (i.id if (i := directory.find_in_text(text)) else None) for text in (
        "la linea de la vida por favor",  # an alias of three words
        "comision nacional de los derechos humanos",  # longer than "cndh"; also holds no other alias
        "quiero hablar con la comarr",  # a near miss
        "the unhcrr people",
        "el instituto nacional de migracio",  # a near miss of three words
        "inm",  # written out exactly, though shorter than five letters
        "imn",  # a near miss of a short alias: not guessed
        "secretaria de bienestarr",  # two words
        "",
    )}
    assert found == {
        "la linea de la vida por favor": "linea_de_la_vida",
        "comision nacional de los derechos humanos": "cndh",
        "quiero hablar con la comarr": "comar",
        "the unhcrr people": "acnur",
        "el instituto nacional de migracio": "inm",
        "inm": "inm",
        "imn": None,
        "secretaria de bienestarr": "bienestar",
        "": None,
    }
    assert directory.find_in_text("comarr", threshold=95) is None
    assert directory.find_in_text("comarr", threshold=90).id == "comar"  # type: ignore[union-attr]


def test_near_misses_of_two_and_three_word_names_and_of_five_letters_are_found() -> None:
    """Names are matched one, two or three words at a time, from five letters up."""
    directory = get_directory()
    found = {text: (i.id if (i := directory.find_in_text(text)) else None) for text in (
        "refugee agensy",  # "refugee agency"
        "consejo ciudadno",  # "consejo ciudadano"
        "migration policy unitt",  # "migration policy unit"
        "mexican refugee comission",  # "mexican refugee commission"
        "unicf",  # "unicef": five letters
        "unic",  # four letters: too short to guess from
    )}
    assert found == {"refugee agensy": "acnur", "consejo ciudadno": "consejo_ciudadano",
                     "migration policy unitt": "upmrip", "mexican refugee comission": "comar", "unicf": "unicef",
                     "unic": None}


def test_the_best_near_miss_is_the_one_with_the_highest_score() -> None:
    directory = get_directory()
    # "comarr" is closer to "comar" (91) than "unicefff" to "unicef" (86), in either order.
    assert directory.find_in_text("comarr unicefff").id == "comar"  # type: ignore[union-attr]
    assert directory.find_in_text("unicefff comarr").id == "comar"  # type: ignore[union-attr]
    assert directory.find_in_text("unicefff").id == "unicef"  # type: ignore[union-attr]


def test_topics_institutions_groups_and_facts() -> None:
    directory = get_directory()
    assert [i.id for i in directory.for_topic("asylum")] == ["comar", "inm", "acnur"]
    assert directory.for_topic(None) == [] and directory.for_topic("nothing") == []
    inm = directory.get("inm")
    assert inm is not None
    listed = [t for t, ids in directory.topics.items() if "inm" in ids]
    assert directory.topics_of(inm) == [t for t in listed if directory.topics[t][0] == "inm"] + [
        t for t in listed if directory.topics[t][0] != "inm"]
    assert directory.topics_of(inm)[0] == "immigration_status" and "asylum" in directory.topics_of(inm)
    groups = directory.members_by_group()
    assert [g.id for g, _ in groups] == [g.id for g in directory.member_groups]
    assert [i.id for i in dict((g.id, members) for g, members in groups)["un_agencies"]] == [
        "acnur", "unicef", "oim", "onudh", "pnud"]
    fact = directory.fact_for_intent("ask_asylum_deadline")
    assert fact is not None and fact.id == "asylum_deadline"
    assert directory.fact_for_intent(None) is None and directory.fact_for_intent("greet") is None
    assert directory.emergency_lines == {"emergency_number": "911", "anonymous_report_number": "089"}


def test_states_and_their_local_contacts() -> None:
    directory = get_directory()
    morelos = directory.local("Morelos")
    assert morelos is not None and morelos.state == "Morelos"
    assert directory.local(None) is None and directory.local("Atlantis") is None
    assert morelos.body("child_protection") is morelos.child_protection
    assert morelos.body("human_rights_commission") is morelos.human_rights_commission
    hours = morelos.child_protection.hours
    assert hours is not None and hours.texts == {"es": "24 horas, todo el año", "en": "24 hours, all year",
                                                 "fr": "24 h/24, toute l'année", "ht": "24 èdtan, tout ane a"}
    assert morelos.child_protection.phones[0].number == "800 831 8884"
    assert morelos.child_protection.address is None and morelos.child_protection.not_found is None
    body = morelos.child_protection
    assert body.sourced_items() == [*body.phones, *(x for x in (body.address, body.hours, body.website) if x)]
    expected = [*morelos.child_protection.sourced_items(), *morelos.human_rights_commission.sourced_items()]
    for shelter in morelos.shelters:
        assert shelter.sourced_items()[:1 + len(shelter.phones)] == [shelter, *shelter.phones]
        expected += shelter.sourced_items()
    assert morelos.sourced_items() == expected
    everything = directory.all_sourced_items()
    assert everything[:len(directory.facts)] == list(directory.facts)
    assert set(map(id, expected)) <= set(map(id, everything))


def test_a_shelter_and_its_state_list_every_sourced_item() -> None:
    """Tabasco has two shelters; La 72 has phones, an address and a website: each is cited, none is dropped."""
    tabasco = get_directory().local("Tabasco")
    assert tabasco is not None and len(tabasco.shelters) == 2
    la72 = next(s for s in tabasco.shelters if s.id == "la72_tenosique")
    assert la72.phones and la72.address is not None and la72.website is not None
    assert la72.sourced_items() == [la72, *la72.phones, la72.address, la72.website]
    first, second = tabasco.shelters
    assert tabasco.sourced_items() == [*tabasco.child_protection.sourced_items(),
                                       *tabasco.human_rights_commission.sourced_items(),
                                       *first.sourced_items(), *second.sourced_items()]


def test_the_loaded_directory_cannot_be_changed_in_place() -> None:
    """One directory is shared by every conversation of the action server: no action may edit it."""
    import dataclasses

    from actions import directory as module

    classes = [c for c in vars(module).values()
               if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == module.__name__]
    assert len(classes) >= 15
    assert [c.__name__ for c in classes if not c.__dataclass_params__.frozen] == []  # type: ignore[attr-defined]
    comar = get_directory().get("comar")
    assert comar is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        comar.phones[0].number = "55 0000 0000"  # type: ignore[misc]


def test_a_phone_tied_to_one_state_keeps_that_state(raw: dict) -> None:
    """The schema lets a national institution's phone name the state it serves (e.g. a COMAR office's line);
    the parser must keep it, or the line would be offered in every state."""
    comar_raw = next(i for i in raw["institutions"] if i["id"] == "comar")
    comar_raw["phones"][0]["state"] = "Chiapas"
    comar = parse(raw).get("comar")
    assert comar is not None
    assert [p.state for p in comar.phones] == ["Chiapas", *(None for _ in comar_raw["phones"][1:])]


def test_the_schema_is_read_once_for_the_main_file_and_all_state_files() -> None:
    assert directory_module._schema() is directory_module._schema()


def test_parse_keeps_each_field(raw: dict) -> None:
    parsed = parse(raw)
    comar_raw = next(i for i in raw["institutions"] if i["id"] == "comar")
    comar = parsed.get("comar")
    assert comar is not None
    assert (comar.acronym, comar.names, comar.role, comar.member_group, comar.aliases) == (
        comar_raw["acronym"], comar_raw["names"], comar_raw["role"], comar_raw["member_group"],
        tuple(comar_raw["aliases"]))
    assert [(p.number, p.label, p.state, p.source, p.source_date, p.verified_on, p.confidence)
            for p in comar.phones] == [(p["number"], p["label"], p.get("state"), p["source"], p["source_date"],
                                        p["verified_on"], p["confidence"]) for p in comar_raw["phones"]]
    assert [(e.address, e.label) for e in comar.emails] == [(e["address"], e["label"]) for e in comar_raw["emails"]]
    assert [(k.url, k.label) for k in comar.links] == [(k["url"], k["label"]) for k in comar_raw["links"]]
    assert [(o.state, o.city, o.address, o.hours) for o in comar.offices] == [
        (o["state"], o["city"], o["address"], o["hours"]) for o in comar_raw["offices"]]
    assert comar.website is not None and comar.website.url == comar_raw["website"]["url"]
    assert (comar.ask_for, comar.short) == (comar_raw.get("ask_for"), comar_raw.get("short"))
    assert parsed.get("sndif_pfpnna").short == {  # type: ignore[union-attr]
        "es": "DIF / Procuraduría", "en": "DIF / Child Protection", "fr": "DIF / Protection de l'enfance",
        "ht": "DIF / Pwoteksyon timoun"}
    assert [(g.id, g.label) for g in parsed.member_groups] == [(g["id"], g["label"]) for g in raw["member_groups"]]
    assert parsed.topics == {t: tuple(ids) for t, ids in raw["topics"].items()}
    assert [(f.id, f.intents, f.source) for f in parsed.facts] == [
        (f["id"], tuple(f["intents"]), f["source"]) for f in raw["facts"]]
    assert parsed.states == {}


def test_every_problem_is_listed_with_its_place(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    broken["institutions"][1]["id"] = broken["institutions"][0]["id"]
    broken["institutions"][2]["member_group"] = "nowhere"
    broken["emergency_lines"]["emergency_number"]["number"] = "112"
    broken["topics"]["asylum"].append("nobody")
    with pytest.raises(DirectoryError) as refused:
        validate(broken)
    assert str(refused.value) == (
        "invalid referral directory:\n"
        "  institutions[sipinna].id: duplicate id\n"
        "  institutions[inm].member_group: unknown group 'nowhere'\n"
        "  emergency_lines.emergency_number: 112 is not a phone of 'sspc'\n"
        "  topics.asylum: unknown institution 'nobody'"
    )


def test_schema_errors_are_listed_in_order_with_their_place(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    del broken["institutions"][3]["phones"][0]["source"]
    broken["institutions"][1]["phones"][0]["confidence"] = "low"
    broken["member_groups"] = "none"
    with pytest.raises(DirectoryError) as refused:
        validate(broken)
    lines = str(refused.value).split("\n")
    assert lines[0] == "invalid referral directory:"
    assert lines[1].startswith("  institutions[segob].phones[0].confidence: 'low' is not one of")
    assert lines[2] == "  institutions[comar].phones[0]: 'source' is a required property"
    assert lines[3] == "  member_groups: 'none' is not of type 'array'"
    assert len(lines) == 4
    with pytest.raises(DirectoryError) as top:
        validate([])
    assert str(top.value) == "invalid referral directory:\n  (top level): [] is not of type 'object'"


def test_an_entry_without_an_id_is_named_by_its_position(raw: dict) -> None:
    broken = copy.deepcopy(raw)
    del broken["facts"][2]["id"]
    with pytest.raises(DirectoryError) as refused:
        validate(broken)
    assert str(refused.value) == "invalid referral directory:\n  facts[2]: 'id' is a required property"


def test_loading_logs_what_was_loaded(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="actions.directory"):
        directory = load_directory(DIRECTORY_FILE)
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "actions.directory"] == [
        (logging.INFO, f"Loaded referral directory {DIRECTORY_FILE} ({len(directory.institutions)} institutions, "
                       f"32 states)")]
    assert get_directory() is get_directory()


def test_a_directory_without_a_states_folder_has_no_states(tmp_path: Path) -> None:
    from actions.directory import load_states

    (tmp_path / "referral_directory.yml").write_text(DIRECTORY_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_directory(tmp_path / "referral_directory.yml").states == {}
    assert load_states(tmp_path / "missing") == {}


def test_a_state_file_s_errors_and_a_shelter_id_used_twice_are_named(tmp_path: Path) -> None:
    from actions.directory import load_states

    states = ROOT / "directory" / "states"
    withshelters = [p for p in sorted(states.glob("*.yml"))
                    if yaml.safe_load(p.read_text(encoding="utf-8"))["shelters"]]
    first = yaml.safe_load(withshelters[0].read_text(encoding="utf-8"))
    second = yaml.safe_load(withshelters[1].read_text(encoding="utf-8"))
    second["shelters"][0]["id"] = first["shelters"][0]["id"]
    (tmp_path / "a.yml").write_text(yaml.safe_dump(first, allow_unicode=True), encoding="utf-8")
    (tmp_path / "b.yml").write_text(yaml.safe_dump(second, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError) as refused:
        load_states(tmp_path)
    assert str(refused.value) == f"state file b.yml: shelters[{first['shelters'][0]['id']}]: duplicate id"
    (tmp_path / "b.yml").write_text(yaml.safe_dump(first, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError) as twice:
        load_states(tmp_path)
    assert str(twice.value) == f"state file b.yml: state {first['state']!r} already has a file"
    first["child_protection"]["name"] = 7
    (tmp_path / "b.yml").unlink()
    (tmp_path / "a.yml").write_text(yaml.safe_dump(first, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError) as invalid:
        load_states(tmp_path)
    assert str(invalid.value) == "invalid state file a.yml:\n  child_protection.name: 7 is not of type 'string'"


def test_claims_load_with_their_fields_and_an_id_used_twice_is_named(tmp_path: Path) -> None:
    from actions.directory import load_claims

    claims_file = ROOT / "directory" / "claims.yml"
    claims = load_claims(claims_file)
    first = claims[0]
    assert (first.id, first.source_date, first.confidence, first.responses, first.text["es"]) == (
        "asylum_term_30_days", None, "high",
        ("utter_need_asylum", "utter_ask_asylum_deadline", "utter_follow_up_how_long"), ("30 días",))
    assert first.says.startswith("Any foreigner in Mexico may apply") and first.source.startswith("https://www.gob")
    data = yaml.safe_load(claims_file.read_text(encoding="utf-8"))
    data["claims"].append(copy.deepcopy(data["claims"][0]))
    (tmp_path / "claims.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError) as refused:
        load_claims(tmp_path / "claims.yml")
    assert str(refused.value) == "claims file claims.yml: duplicate claim id 'asylum_term_30_days'"
    data["claims"] = "none"
    (tmp_path / "claims.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DirectoryError, match=r"^invalid claims file claims\.yml:\n  claims: 'none' is not of type"):
        load_claims(tmp_path / "claims.yml")
