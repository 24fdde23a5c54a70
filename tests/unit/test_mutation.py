"""`make mutation` (tools/mutation/run.py): it covers the modules issue 16 names, with tests that exist."""

from __future__ import annotations

from pathlib import Path

from tools.mutation.run import MODULES, PYTEST, Score, runner_command

ROOT = Path(__file__).resolve().parents[2]


def test_it_mutates_privacy_channels_components_the_directory_and_places() -> None:
    for folder in ("privacy", "channels", "components"):
        code = {str(p.relative_to(ROOT)) for p in (ROOT / folder).glob("*.py") if p.name != "__init__.py"}
        assert code <= set(MODULES), code - set(MODULES)
    assert {"actions/directory.py", "actions/places.py"} <= set(MODULES)


def test_each_module_runs_unit_tests_that_exist() -> None:
    for module, tests in MODULES.items():
        assert (ROOT / module).is_file(), module
        assert tests and all((ROOT / "tests" / "unit" / t).is_file() for t in tests), (module, tests)


def test_the_score_counts_timeouts_as_caught_and_survivors_and_suspicious_as_missed() -> None:
    assert Score("m", killed=8, survived=1, suspicious=0, timeout=1, survivors=[3]).percent == 90.0
    assert Score("m", killed=0, survived=0, suspicious=0, timeout=0, survivors=[]).percent == 100.0
    assert Score("m", killed=3, survived=0, suspicious=1, timeout=0, survivors=[]).percent == 75.0


def test_a_mutant_is_caught_by_any_failing_test_file_even_one_that_cannot_be_imported(tmp_path: Path) -> None:
    """mutmut 2.5.1 counts only exit code 1 as a kill; pytest exits with 2 when a test file fails to import."""
    import shlex
    import subprocess

    command = shlex.split(runner_command(["a.py", "b.py"]))
    assert command[:2] == ["sh", "-c"] and command[2].index("tests/unit/a.py") < command[2].index("tests/unit/b.py")
    for script, code in (("exit 0", 0), ("exit 1", 1), ("exit 2", 1), ("exit 5", 1)):
        (tmp_path / "pytest").write_text(script)
        plain = command[2].replace(PYTEST, f"sh {tmp_path / 'pytest'}")
        assert subprocess.run(["sh", "-c", plain], check=False).returncode == code, script
