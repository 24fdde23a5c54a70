"""`make review` (tools/review.py): every reply variation of a language beside its Spanish original."""

from __future__ import annotations

from pathlib import Path

import yaml

from tools import review

ROOT = Path(__file__).resolve().parent.parent.parent


def test_one_file_per_language_with_every_variation_beside_its_spanish(tmp_path: Path) -> None:
    assert review.main(["--out", str(tmp_path)]) == 0
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for language in ("en", "fr", "ht"):
        text = (tmp_path / f"{language}.md").read_text(encoding="utf-8")
        expected = sum(1 for r in domain["responses"].values() for v in r if review.split(v)[0] == language)
        assert text.count("\n## ") == expected
        assert text.count("\nes:\n") == expected and text.count(f"\n{language}:\n") == expected


def test_the_worker_variation_is_shown_beside_the_spanish_worker_text(tmp_path: Path) -> None:
    review.main(["--out", str(tmp_path)])
    text = (tmp_path / "fr.md").read_text(encoding="utf-8")
    section = text.split("## utter_need_asylum_details (audience=worker)", 1)[1].split("\n## ", 1)[0]
    assert "> Fundamento" in section, section[:300]
    assert "Fondement juridique" in section


def test_open_questions_for_a_native_speaker_are_shown_where_they_belong(tmp_path: Path) -> None:
    review.main(["--out", str(tmp_path)])
    text = (tmp_path / "ht.md").read_text(encoding="utf-8")
    section = text.split("## utter_child_alone", 1)[1].split("\n## ", 1)[0]
    assert "❓ For a native speaker:" in section and "Ou fè byen" in section


def test_each_variation_lists_the_sourced_claims_it_makes(tmp_path: Path) -> None:
    review.main(["--out", str(tmp_path)])
    text = (tmp_path / "en.md").read_text(encoding="utf-8")
    section = text.split("## utter_ask_asylum_deadline (audience=None)", 1)[1].split("\n## ", 1)[0]
    assert "Facts (directory/claims.yml):" in section and "`asylum_" in section, section[-400:]
