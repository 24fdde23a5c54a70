"""Print, per state, what `directory/states/` holds: the child-protection and human-rights-commission phones
(with each source's site and date) or "not found", and how many shelters (how many with a phone).

    .venv/bin/python -m tools.local_coverage
"""

from __future__ import annotations

from actions.base import source_site
from actions.directory import LocalBody, get_directory


def describe(body: LocalBody) -> str:
    if body.phones:
        return "; ".join(
            f"{p.number} ({source_site(p.source)}, {p.source_date or 'undated'})"
            for p in body.phones
        )
    extra = [name for name, item in (("website", body.website), ("address", body.address)) if item]
    return "not found" + (f" ({', '.join(extra)})" if extra else "")


def main() -> None:
    states = get_directory().states
    print("| state | child protection | human-rights commission | shelters / legal aid (with a phone) |")
    print("|---|---|---|---|")
    for name in sorted(states):
        state = states[name]
        with_phone = sum(1 for s in state.shelters if s.phones)
        print(
            f"| {name} | {describe(state.child_protection)} | {describe(state.human_rights_commission)} "
            f"| {len(state.shelters)} ({with_phone}) |"
        )
    bodies = [s.body(k) for s in states.values() for k in ("child_protection", "human_rights_commission")]
    print(
        f"\n{len(states)} states; child protection with a phone: "
        f"{sum(1 for s in states.values() if s.child_protection.phones)}; commissions with a phone: "
        f"{sum(1 for s in states.values() if s.human_rights_commission.phones)}; bodies with no phone: "
        f"{sum(1 for b in bodies if not b.phones)}; shelters: {sum(len(s.shelters) for s in states.values())}"
    )


if __name__ == "__main__":
    main()
