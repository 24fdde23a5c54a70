"""Typed loader for the referral directory (`directory/referral_directory.yml`).

The directory is validated against `directory/schema.json` (JSON Schema, checked with the
`jsonschema` library) and then cross-checked (ids unique, topics and groups point to real
entries). Any problem raises `DirectoryError` naming the entry and the field.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from rapidfuzz import fuzz, process

from common.settings import load_settings
from common.text import fold, tokens

logger = logging.getLogger(__name__)

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "directory" / "schema.json"
FALLBACK_LANGUAGE = "es"


class DirectoryError(ValueError):
    """The directory file is invalid; the message names the entry and the field."""


def localized(texts: dict[str, str], language: str) -> str:
    """Text in `language`, else in the fallback language."""
    return texts.get(language) or texts[FALLBACK_LANGUAGE]


@dataclass(frozen=True)
class Sourced:
    """Provenance carried by every contact item."""

    source: str
    source_date: str | None
    verified_on: str
    confidence: str


@dataclass(frozen=True)
class Phone(Sourced):
    number: str
    label: dict[str, str]
    state: str | None


@dataclass(frozen=True)
class Email(Sourced):
    address: str
    label: dict[str, str]


@dataclass(frozen=True)
class Link(Sourced):
    url: str
    label: dict[str, str]


@dataclass(frozen=True)
class Website(Sourced):
    url: str


@dataclass(frozen=True)
class Office(Sourced):
    state: str
    city: str
    address: str | None
    hours: dict[str, str] | None


@dataclass(frozen=True)
class Address(Sourced):
    """A street address (in Spanish, as published) and its city."""

    text: str
    city: str


@dataclass(frozen=True)
class Hours(Sourced):
    texts: dict[str, str]


@dataclass(frozen=True)
class LocalBody:
    """A state's child-protection office or human-rights commission.

    With no phone, `not_found` records what was searched: the answer then says there is no published number
    and gives the next best step, never a number from another state.
    """

    name: str
    phones: tuple[Phone, ...]
    address: Address | None
    hours: Hours | None
    website: Website | None
    not_found: str | None

    def sourced_items(self) -> list[Sourced]:
        items: list[Sourced] = [*self.phones]
        items += [x for x in (self.address, self.hours, self.website) if x is not None]
        return items


@dataclass(frozen=True)
class Shelter(Sourced):
    """A civil-society shelter or free legal-aid organisation; `offers` and `serves` only as its source says."""

    id: str
    name: str
    city: str
    kind: str
    offers: tuple[str, ...]
    serves: tuple[str, ...]
    phones: tuple[Phone, ...]
    address: Address | None
    website: Website | None

    def sourced_items(self) -> list[Sourced]:
        items: list[Sourced] = [self, *self.phones]
        items += [x for x in (self.address, self.website) if x is not None]
        return items


@dataclass(frozen=True)
class StateContacts:
    """One state's local contacts (`directory/states/<state>.yml`)."""

    state: str
    child_protection: LocalBody
    human_rights_commission: LocalBody
    shelters: tuple[Shelter, ...]

    def body(self, kind: str) -> LocalBody:
        """`child_protection` or `human_rights_commission`."""
        body: LocalBody = getattr(self, kind)
        return body

    def sourced_items(self) -> list[Sourced]:
        items = [*self.child_protection.sourced_items(), *self.human_rights_commission.sourced_items()]
        for shelter in self.shelters:
            items += shelter.sourced_items()
        return items


@dataclass(frozen=True)
class Fact(Sourced):
    id: str
    intents: tuple[str, ...]


@dataclass(frozen=True)
class Claim:
    """A factual statement the replies make (`directory/claims.yml`): what its source says, the responses that
    make it and the words that say it in each language. Not used at run time: the tests check every reply's
    numbers and legal references against these, and `make review` shows them beside each reply."""

    id: str
    says: str
    source: str
    source_date: str | None
    confidence: str
    responses: tuple[str, ...]
    text: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Institution:
    id: str
    acronym: str
    names: dict[str, str]
    role: dict[str, str]
    member_group: str | None
    aliases: tuple[str, ...]
    website: Website | None
    phones: tuple[Phone, ...]
    emails: tuple[Email, ...]
    links: tuple[Link, ...]
    offices: tuple[Office, ...]
    ask_for: dict[str, str] | None
    short: dict[str, str] | None

    def short_name(self, language: str) -> str:
        """The name on a button: `short` in that language where the directory gives one, else the acronym."""
        return localized(self.short, language) if self.short else self.acronym

    @property
    def is_member(self) -> bool:
        return self.member_group is not None

    def sourced_items(self) -> list[Sourced]:
        """Every item that carries a source (for dates and citations)."""
        items: list[Sourced] = [*self.phones, *self.emails, *self.links, *self.offices]
        if self.website:
            items.append(self.website)
        return items


@dataclass(frozen=True)
class MemberGroup:
    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class Directory:
    member_groups: tuple[MemberGroup, ...]
    topics: dict[str, tuple[str, ...]]
    facts: tuple[Fact, ...]
    institutions: tuple[Institution, ...]
    emergency_lines: dict[str, str]
    states: dict[str, StateContacts] = field(default_factory=dict)

    def local(self, state: str | None) -> StateContacts | None:
        """The local contacts of a state (by its name as in `directory/places.yml`), if it has a file."""
        return self.states.get(state) if state else None

    def get(self, institution_id: str) -> Institution | None:
        return next((i for i in self.institutions if i.id == institution_id), None)

    def resolve(self, name: str | None) -> Institution | None:
        """Institution for an id, acronym or alias as typed by a user (case/accents ignored)."""
        if not name:
            return None
        wanted = fold(name)
        for institution in self.institutions:
            keys = {fold(institution.id), fold(institution.acronym), *map(fold, institution.aliases)}
            keys |= {fold(part) for part in institution.acronym.split("/")}
            if wanted in keys:
                return institution
        return None

    def _alias_index(self) -> dict[str, Institution]:
        index: dict[str, Institution] = {}
        for institution in self.institutions:
            for alias in (institution.id, *institution.aliases):
                index.setdefault(fold(alias), institution)
        return index

    def find_in_text(self, text: str, threshold: float = 85) -> Institution | None:
        """Institution named in `text`: the longest alias written out, else a near miss ("comarr")."""
        padded = f" {fold(text)} "
        index = self._alias_index()
        exact = [key for key in index if f" {key} " in padded]
        if exact:
            return index[max(exact, key=len)]
        words = tokens(text)
        grams = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        candidates = [key for key in index if len(key) >= 5]
        best: tuple[float, Institution | None] = (0.0, None)
        for gram in (g for g in grams if len(g) >= 5):
            match = process.extractOne(gram, candidates, scorer=fuzz.ratio, score_cutoff=threshold)
            if match and match[1] > best[0]:
                best = (match[1], index[match[0]])
        return best[1]

    def for_topic(self, topic: str | None) -> list[Institution]:
        return [i for i in (self.get(x) for x in self.topics.get(topic or "", ())) if i]

    def topics_of(self, institution: Institution) -> list[str]:
        """The topics that send people to `institution`: first those where it is the main referral (listed
        first), then the others, each group in the order of the directory's `topics` map."""
        listed = [topic for topic, ids in self.topics.items() if institution.id in ids]
        return sorted(listed, key=lambda topic: self.topics[topic][0] != institution.id)

    def all_sourced_items(self) -> list[Sourced]:
        """Every item of the directory that carries a source: its facts, every institution's contacts and
        offices, and every state's contacts and shelters."""
        items: list[Sourced] = [*self.facts]
        for institution in self.institutions:
            items += institution.sourced_items()
        for state in self.states.values():
            items += state.sourced_items()
        return items

    def members_by_group(self) -> list[tuple[MemberGroup, list[Institution]]]:
        return [
            (group, [i for i in self.institutions if i.member_group == group.id])
            for group in self.member_groups
        ]

    def fact_for_intent(self, intent: str | None) -> Fact | None:
        return next((f for f in self.facts if intent in f.intents), None)


def _sourced(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: raw[k] for k in ("source", "source_date", "verified_on", "confidence")}


def _entry_name(data: dict[str, Any], path: list[Any]) -> str:
    """Human-readable location such as `institutions[comar].phones[0].source`."""
    parts: list[str] = []
    node: Any = data
    for step in path:
        if isinstance(step, int):
            entry_id = node[step].get("id") if isinstance(node[step], dict) else None
            parts[-1] += f"[{entry_id or step}]"
        else:
            parts.append(str(step))
        node = node[step]
    return ".".join(parts) or "(top level)"


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    """directory/schema.json, read once (the main file and each of the 32 state files are checked against it)."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _schema_errors(data: Any, definition: str | None, where: str) -> None:
    """Raise `DirectoryError` listing every schema error of `data` (the whole schema, or one of its `$defs`)."""
    schema = _schema()
    if definition:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{_entry_name(data, list(e.absolute_path))}: {e.message}" for e in errors]
        raise DirectoryError(f"invalid {where}:\n  " + "\n  ".join(lines))


def validate(data: Any) -> None:
    """Check `data` against the schema and the cross-references; raise `DirectoryError`."""
    _schema_errors(data, None, "referral directory")

    ids = [i["id"] for i in data["institutions"]]
    problems = [f"institutions[{i}].id: duplicate id" for i in sorted({x for x in ids if ids.count(x) > 1})]
    groups = {g["id"] for g in data["member_groups"]}
    for inst in data["institutions"]:
        if inst["member_group"] is not None and inst["member_group"] not in groups:
            problems.append(f"institutions[{inst['id']}].member_group: unknown group {inst['member_group']!r}")
    phones = {(i["id"], p["number"]) for i in data["institutions"] for p in i["phones"]}
    for key, line in data["emergency_lines"].items():
        if (line["institution"], line["number"]) not in phones:
            problems.append(f"emergency_lines.{key}: {line['number']} is not a phone of {line['institution']!r}")
    for topic, members in data["topics"].items():
        for member in members:
            if member not in ids:
                problems.append(f"topics.{topic}: unknown institution {member!r}")
    if problems:
        raise DirectoryError("invalid referral directory:\n  " + "\n  ".join(problems))


def parse(data: dict[str, Any]) -> Directory:
    """Build the typed directory from already-validated data."""
    institutions = tuple(
        Institution(
            id=raw["id"],
            acronym=raw["acronym"],
            names=raw["names"],
            role=raw["role"],
            member_group=raw["member_group"],
            aliases=tuple(raw["aliases"]),
            website=_website(raw["website"]),
            phones=_phones(raw["phones"]),
            emails=tuple(Email(address=e["address"], label=e["label"], **_sourced(e)) for e in raw["emails"]),
            links=tuple(Link(url=k["url"], label=k["label"], **_sourced(k)) for k in raw["links"]),
            offices=tuple(
                Office(state=o["state"], city=o["city"], address=o["address"], hours=o["hours"], **_sourced(o))
                for o in raw["offices"]
            ),
            ask_for=raw.get("ask_for"),
            short=raw.get("short"),
        )
        for raw in data["institutions"]
    )
    return Directory(
        member_groups=tuple(MemberGroup(id=g["id"], label=g["label"]) for g in data["member_groups"]),
        topics={topic: tuple(ids) for topic, ids in data["topics"].items()},
        facts=tuple(Fact(id=f["id"], intents=tuple(f["intents"]), **_sourced(f)) for f in data["facts"]),
        institutions=institutions,
        emergency_lines={key: line["number"] for key, line in data["emergency_lines"].items()},
    )


def _phones(raw: list[dict[str, Any]]) -> tuple[Phone, ...]:
    return tuple(Phone(number=p["number"], label=p["label"], state=p.get("state"), **_sourced(p)) for p in raw)


def _address(raw: dict[str, Any] | None) -> Address | None:
    return Address(text=raw["text"], city=raw["city"], **_sourced(raw)) if raw else None


def _website(raw: dict[str, Any] | None) -> Website | None:
    return Website(url=raw["url"], **_sourced(raw)) if raw else None


def _local_body(raw: dict[str, Any]) -> LocalBody:
    hours = raw["hours"]
    return LocalBody(
        name=raw["name"],
        phones=_phones(raw["phones"]),
        address=_address(raw["address"]),
        hours=Hours(texts={k: v for k, v in hours.items() if len(k) == 2}, **_sourced(hours)) if hours else None,
        website=_website(raw["website"]),
        not_found=raw["not_found"],
    )


def parse_state(data: dict[str, Any]) -> StateContacts:
    """Build one state's contacts from an already-validated state file."""
    return StateContacts(
        state=data["state"],
        child_protection=_local_body(data["child_protection"]),
        human_rights_commission=_local_body(data["human_rights_commission"]),
        shelters=tuple(
            Shelter(
                id=s["id"],
                name=s["name"],
                city=s["city"],
                kind=s["kind"],
                offers=tuple(s["offers"]),
                serves=tuple(s["serves"]),
                phones=_phones(s["phones"]),
                address=_address(s["address"]),
                website=_website(s["website"]),
                **_sourced(s),
            )
            for s in data["shelters"]
        ),
    )


def load_states(folder: Path) -> dict[str, StateContacts]:
    """Every `<state>.yml` in `folder`, validated; state names and shelter ids must be unique."""
    states: dict[str, StateContacts] = {}
    shelter_ids: set[str] = set()
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        _schema_errors(data, "state_file", f"state file {path.name}")
        state = parse_state(data)
        if state.state in states:
            raise DirectoryError(f"state file {path.name}: state {state.state!r} already has a file")
        for shelter in state.shelters:
            if shelter.id in shelter_ids:
                raise DirectoryError(f"state file {path.name}: shelters[{shelter.id}]: duplicate id")
            shelter_ids.add(shelter.id)
        states[state.state] = state
    return states


def load_directory(path: Path) -> Directory:
    """Read, validate and parse a directory file and the state files in `states/` next to it."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    validate(data)
    directory = parse(data)
    directory = replace(directory, states=load_states(path.parent / "states"))
    logger.info(
        "Loaded referral directory %s (%d institutions, %d states)",
        path,
        len(directory.institutions),
        len(directory.states),
    )
    return directory


def load_claims(path: Path) -> tuple[Claim, ...]:
    """Read and validate `directory/claims.yml`; claim ids must be unique."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    _schema_errors(data, "claims_file", f"claims file {path.name}")
    claims = tuple(
        Claim(
            id=c["id"], says=c["says"], source=c["source"], source_date=c["source_date"],
            confidence=c["confidence"], responses=tuple(c["responses"]),
            text={language: tuple(words) for language, words in c["text"].items()},
        )
        for c in data["claims"]
    )
    seen: set[str] = set()
    for claim in claims:
        if claim.id in seen:
            raise DirectoryError(f"claims file {path.name}: duplicate claim id {claim.id!r}")
        seen.add(claim.id)
    return claims


@lru_cache(maxsize=1)
def get_directory() -> Directory:
    """The directory configured in the settings, loaded once on first use."""
    return load_directory(load_settings().directory_file)
