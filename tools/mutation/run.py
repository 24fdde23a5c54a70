"""`make mutation`: mutation testing of the code that guards people's data and the directory (issue 16).

Usage: python -m tools.mutation.run [MODULE ...]      (default: every module of MODULES)

For each module, mutmut 2.5.1 (its own venv, `.venv-mutation`) changes the code one small way at a time (a
number, an operator, a string, a `break`) in a copy of the repository (`var/mutation/work`, so the working tree
is never touched) and runs the unit tests that cover that module; a mutant the tests do not notice "survived".
The score is killed / (killed + survived + suspicious); `var/mutation/report.md` lists each module's score and
its surviving mutants (`mutmut show <id>` in var/mutation/work shows one). A full run takes over an hour on two
CPUs, so it is not part of `make test`; docs/testing.md gives the last score.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "mutation" / "work"
REPORT = ROOT / "var" / "mutation" / "report.md"
MUTMUT = ROOT / ".venv-mutation" / "bin" / "mutmut"
PYTEST = f"{ROOT / '.venv' / 'bin' / 'python'} -m pytest -x -q -p no:cacheprovider"
NOT_COPIED = (".git", ".venv", ".venv-audit", ".venv-mutation", "models", "results", "var", "node_modules",
              ".mypy_cache", ".ruff_cache", "__pycache__")

# Module -> the unit tests that exercise it, fastest first (each mutant runs only these, file by file, stopping at the
# first failure).
MODULES: dict[str, list[str]] = {
    "privacy/redaction.py": ["test_redaction.py", "test_privacy.py", "test_placeholders.py"],
    "privacy/tracker_store.py": ["test_privacy_tracker_store.py", "test_privacy.py"],
    "privacy/deletion.py": ["test_privacy.py", "test_privacy_tracker_store.py"],
    "privacy/event_broker.py": ["test_privacy_tracker_store.py", "test_analytics.py", "test_privacy.py"],
    "privacy/logging_filter.py": ["test_logging_filter.py", "test_privacy.py"],
    "channels/inbound.py": ["test_inbound.py", "test_channel_security.py"],
    "channels/messaging.py": ["test_messaging.py", "test_channel_security.py"],
    "channels/messenger.py": ["test_messaging.py", "test_channel_security.py"],
    "channels/telegram.py": ["test_messaging.py", "test_channel_security.py"],
    "channels/whatsapp.py": ["test_messaging.py", "test_channel_security.py"],
    "channels/rest.py": ["test_rest_channel.py", "test_channel_security.py"],
    "channels/webchat.py": ["test_webchat.py", "test_channel_security.py"],
    "components/danger_patterns.py": ["test_danger_patterns.py", "test_emergency.py"],
    "components/emergency_guard.py": ["test_emergency.py", "test_danger_patterns.py"],
    "components/language_detector.py": ["test_language_detector.py", "test_language.py"],
    "components/normalizing_tokenizer.py": ["test_normalizing_tokenizer.py"],
    "components/placeholders.py": ["test_placeholders.py"],
    "components/rasa_fixes.py": ["test_rasa_fixes.py"],
    "actions/directory.py": ["test_contacts.py", "test_claims.py", "test_state_directory.py", "test_directory.py"],
    "actions/places.py": ["test_places.py", "test_local_contacts.py"],
}


@dataclass
class Score:
    module: str
    killed: int
    survived: int
    suspicious: int
    timeout: int
    survivors: list[int]

    @property
    def percent(self) -> float:
        tested = self.killed + self.survived + self.suspicious + self.timeout
        return 100.0 * (self.killed + self.timeout) / tested if tested else 100.0


def copy_repository() -> None:
    if WORK.exists():
        shutil.rmtree(WORK)
    shutil.copytree(ROOT, WORK, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)


def runner_command(tests: list[str]) -> str:
    """One pytest per test file, in MODULES' order, each only if the one before passed: a mutant caught by the
    first (fastest) file does not wait for the imports of the others (Rasa's take seconds), and one that
    survives has run every file.

    Any failure exits with 1: mutmut 2.5.1 counts only exit code 1 as a kill, so a mutant that breaks the
    import of a test file (pytest's exit code 2, a collection error) used to count as a survivor."""
    return "sh -c " + shlex.quote(" && ".join(f"{PYTEST} tests/unit/{t}" for t in tests) + " || exit 1")


def run_module(module: str, tests: list[str]) -> Score:
    cache = WORK / ".mutmut-cache"
    cache.unlink(missing_ok=True)
    runner = runner_command(tests)
    subprocess.run([str(MUTMUT), "run", "--paths-to-mutate", module, "--runner", runner, "--tests-dir", "tests/unit",
                    "--no-progress"], cwd=WORK, check=False, stdout=subprocess.DEVNULL)
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT status, id FROM Mutant").fetchall()
    counts = {status: sum(1 for s, _ in rows if s == status)
              for status in ("ok_killed", "bad_survived", "ok_suspicious", "bad_timeout")}
    shutil.copy(cache, WORK / f".mutmut-cache.{module.replace('/', '.')}")
    return Score(module, counts["ok_killed"], counts["bad_survived"], counts["ok_suspicious"], counts["bad_timeout"],
                 sorted(i for s, i in rows if s == "bad_survived"))


def write_report(scores: list[Score]) -> None:
    killed = sum(s.killed + s.timeout for s in scores)
    tested = sum(s.killed + s.survived + s.suspicious + s.timeout for s in scores)
    lines = ["# Mutation score (`make mutation`)", "", f"Total: {killed}/{tested} = {100.0 * killed / tested:.1f} %"
             if tested else "Total: nothing tested", "", "| module | killed | survived | suspicious | score |",
             "|---|---|---|---|---|"]
    lines += [f"| {s.module} | {s.killed + s.timeout} | {s.survived} | {s.suspicious} | {s.percent:.1f} % |"
              for s in scores]
    lines += ["", "Surviving mutants (ids in each module's cache, var/mutation/work/.mutmut-cache.<module>):"]
    lines += [f"- {s.module}: {s.survivors}" for s in scores if s.survivors]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help=f"default: all of {len(MODULES)}")
    args = parser.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        parser.error(f"not in MODULES: {unknown}")
    copy_repository()
    scores = []
    for module in args.modules or list(MODULES):
        score = run_module(module, MODULES[module])
        scores.append(score)
        print(f"{module}: {score.percent:.1f} % ({score.killed + score.timeout} killed, {score.survived} survived, "
              f"{score.suspicious} suspicious)", flush=True)
    write_report(scores)
    print(REPORT.read_text(encoding="utf-8").split("\n")[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
