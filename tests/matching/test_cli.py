"""``python -m matching`` end to end, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching import _cli

from .conftest import make_instance, make_mentor

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matching", *args],
        input=stdin,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_solve_stdin() -> None:
    proc = _run("solve", "-", "--no-timings", stdin=json.dumps(make_instance()))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["mentor_pairs"][0]["mentor"] == "m1"
    assert result["stats"]["seconds"] == 0.0


def test_solve_file_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(make_instance()))
    first, second = (
        _run("solve", str(path), "--no-timings"),
        _run("solve", str(path), "--no-timings"),
    )
    assert first.returncode == 0 and first.stdout == second.stdout


def test_bad_instance_exits_2_with_message_only_on_stderr() -> None:
    bad = make_instance(mentors=[make_mentor(capacity=-1)])
    proc = _run("solve", "-", stdin=json.dumps(bad))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "mentors[0].capacity: must be an integer >= 0" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_invalid_json_and_missing_file_exit_2(tmp_path: Path) -> None:
    for proc in (_run("solve", "-", stdin="{not json"), _run("solve", str(tmp_path / "none.json"))):
        assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr


def test_help() -> None:
    proc = _run("solve", "--help")
    assert proc.returncode == 0 and "FILE" in proc.stdout
    assert _run("--help").returncode == 0


def test_the_command_line_keeps_freed_memory_for_reuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(_cli.ctypes, "CDLL", lambda name: Libc())
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(make_instance()))
    assert _cli.main(["solve", str(path)]) == 0
    assert dict(calls) == _cli.ALLOCATOR  # mmap threshold 32 MB, trim 1 GB, top pad 64 MB
    assert json.loads(capsys.readouterr().out)["stats"]

    def no_glibc(name: str) -> None:
        raise OSError(name)

    monkeypatch.setattr(_cli.ctypes, "CDLL", no_glibc)
    assert _cli.main(["solve", str(path)]) == 0  # elsewhere: nothing changes
