"""apictl/output.py: atomic, durable writes that never leave a partial file or overwrite an input."""
from __future__ import annotations

import json
import os
import threading

import pytest

from apictl.output import TEMP_SUFFIX, write_file
from apictl.source.errors import InputError


def test_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out" / "report.json"
    write_file(target, "first\n")
    write_file(target, "second\n")
    assert target.read_text() == "second\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_existing_file_mode_is_kept(tmp_path):
    target = tmp_path / "script.sh"
    target.write_text("old")
    target.chmod(0o750)
    write_file(target, "new")
    assert target.stat().st_mode & 0o777 == 0o750


def test_no_replace_refuses_existing_file_and_keeps_it(tmp_path):
    target = tmp_path / "template.json"
    target.write_text("good")
    with pytest.raises(InputError, match="exists"):
        write_file(target, "other", replace=False)
    assert target.read_text() == "good"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_output_that_is_an_input_is_refused(tmp_path):
    spec = tmp_path / "a.yaml"
    spec.write_text("openapi: 3.0.3\n")
    link = tmp_path / "b.yaml"
    os.link(spec, link)
    for name in (spec, link, tmp_path / "." / "a.yaml"):
        with pytest.raises(InputError, match="one of the input files"):
            write_file(name, "report", inputs=[str(spec)])
    assert spec.read_text() == "openapi: 3.0.3\n"


def test_failed_write_keeps_old_file_and_names_the_reason(tmp_path, monkeypatch):
    target = tmp_path / "state.json"
    target.write_text('{"ok": true}')

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(InputError) as info:
        write_file(target, "x" * 100_000, what="state file")
    assert info.value.one_line() == f"{target}: error: cannot write state file: no space left on the device"
    assert json.loads(target.read_text()) == {"ok": True}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_name_too_long_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="file name too long"):
        write_file(tmp_path / ("x" * 300 + ".json"), "{}")


def test_concurrent_writers_and_reader_never_see_a_partial_file(tmp_path):
    target = tmp_path / "state.json"
    write_file(target, json.dumps({"n": -1, "pad": "x" * 50_000}))
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer(n: int) -> None:
        try:
            for i in range(30):
                write_file(target, json.dumps({"n": n * 100 + i, "pad": "x" * 50_000}))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    bad_reads = []

    def reader() -> None:
        while not stop.is_set():
            try:
                json.loads(target.read_text())
            except ValueError:
                bad_reads.append(1)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    assert errors == []
    assert bad_reads == []
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


# -- folders (SDKs) ----------------------------------------------------------------------------------------------
from apictl import output  # noqa: E402
from apictl.output import MANIFEST_NAME, write_tree  # noqa: E402


def files_in(folder):
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_tree_is_swapped_in_whole_with_a_manifest(tmp_path):
    out = tmp_path / "sdk"
    write_tree(out, {"a.txt": "1", "pkg/b.txt": "2"})
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert sorted(manifest["files"]) == ["a.txt", "pkg/b.txt"]
    (out / "mine.txt").write_text("user")
    (out / "link").symlink_to("mine.txt")
    write_tree(out, {"a.txt": "3", "c/d.txt": "4"}, force=True)
    assert files_in(out) == {MANIFEST_NAME: (out / MANIFEST_NAME).read_text(), "a.txt": "3", "c/d.txt": "4",
                             "link": "user", "mine.txt": "user"}
    assert (out / "link").is_symlink() and not (out / "pkg").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sdk"]


def test_a_failed_tree_write_changes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "sdk"
    write_tree(out, {"a.txt": "old"})
    before = files_in(out)
    real, calls = output._write_new, []

    def full_disk_on_the_second_file(*args):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(*args)

    monkeypatch.setattr(output, "_write_new", full_disk_on_the_second_file)
    with pytest.raises(InputError, match="no space left on the device"):
        write_tree(out, {"a.txt": "new", "b.txt": "new"}, force=True)
    assert files_in(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sdk"]


def test_tree_targets_that_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="working folder"):
        write_tree(tmp_path, {"a.txt": "1"}, force=True)
    with pytest.raises(InputError, match="working folder"):
        write_tree(tmp_path.parent, {"a.txt": "1"}, force=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        write_tree(tmp_path / "file", {"a.txt": "1"})
    for bad in ("../x", "/abs", "a//b", MANIFEST_NAME, "a\\b"):
        with pytest.raises(InputError):
            write_tree(tmp_path / "sdk", {bad: "1"})
    out = tmp_path / "sdk"
    write_tree(out, {"a.txt": "1"})
    (out / MANIFEST_NAME).write_text("{broken")
    with pytest.raises(InputError, match="is not an apictl manifest"):
        write_tree(out, {"a.txt": "2"}, force=True)
    assert (out / "a.txt").read_text() == "1"


def test_fallback_without_an_atomic_exchange(tmp_path, monkeypatch):
    """Where renameat2(RENAME_EXCHANGE) is missing, two renames under held-back signals do the swap."""
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    out = tmp_path / "sdk"
    write_tree(out, {"a.txt": "1"})
    write_tree(out, {"b.txt": "2"}, force=True)
    assert set(files_in(out)) == {MANIFEST_NAME, "b.txt"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sdk"]
