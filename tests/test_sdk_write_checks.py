"""The SDK writer (a staging folder swapped in whole, issue 11) never writes through or deletes a link it did not
make, and the Android self-check looks for a backslash-u before running its regex (issue 14): both must refuse
exactly what they refused before."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from apictl.sdk.generate import GenerationError, write_files
from apictl.source.errors import InputError
from apictl.sdk.targets.android import TARGET as ANDROID


def test_files_land_in_their_folders(tmp_path):
    files = {"a.txt": "1", "src/x/b.txt": "2", "src/x/c.txt": "3", "src/y/d.txt": "4", "src/x/z/e.txt": "5"}
    written = write_files(tmp_path / "out", files)
    assert len(written) == 5
    for rel, text in files.items():
        assert (tmp_path / "out" / rel).read_text(encoding="utf-8") == text


def test_a_linked_file_pointing_outside_is_refused(tmp_path):
    """The SDK is staged beside --out and swapped in whole (apictl/output.py): a link the user left in --out is
    not apictl's to write through or to delete, wherever it points."""
    out, outside = tmp_path / "out", tmp_path / "precious.txt"
    (out / "src").mkdir(parents=True)
    outside.write_text("keep", encoding="utf-8")
    os.symlink(outside, out / "src" / "b.txt")
    with pytest.raises(InputError, match="not empty"):
        write_files(out, {"src/a.txt": "1", "src/b.txt": "2"})
    with pytest.raises(InputError, match="which apictl did not generate"):
        write_files(out, {"src/a.txt": "1", "src/b.txt": "2"}, force=True)
    assert outside.read_text(encoding="utf-8") == "keep" and os.path.islink(out / "src" / "b.txt")


def test_a_linked_folder_pointing_outside_is_refused(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, out / "src")
    for files in ({"src/a.txt": "1"}, {"src/deeper/still/b.txt": "2"}):
        with pytest.raises(InputError, match="which apictl did not generate"):
            write_files(out, files, force=True)
    assert list(elsewhere.iterdir()) == []  # refused before any folder is created there


def test_a_link_inside_the_output_is_kept_not_written_through(tmp_path):
    out = tmp_path / "out"
    (out / "real").mkdir(parents=True)
    (out / "real" / "target.txt").write_text("mine", encoding="utf-8")
    os.symlink(out / "real" / "target.txt", out / "alias.txt")
    with pytest.raises(InputError, match="which apictl did not generate"):
        write_files(out, {"alias.txt": "via link"}, force=True)
    assert (out / "real" / "target.txt").read_text(encoding="utf-8") == "mine"
    write_files(out, {"other.txt": "new"}, force=True)  # a link out of the way stays, as it was
    assert os.path.islink(out / "alias.txt") and (out / "other.txt").read_text(encoding="utf-8") == "new"


def android_check(files: dict[str, str]) -> None:
    ANDROID.check(files, SimpleNamespace(models=[]), {"path": "com/example"})


@pytest.mark.parametrize("text", [
    "/* \\u002a/ */", "// \\uuu0041", "String s = \"\\\\\\u0022\";", "\\u007F", "x\\u000a",
])
def test_android_check_refuses_escapes_of_ascii(text):
    with pytest.raises(GenerationError, match="translates"):
        android_check({"src/main/java/com/example/A.java": "class A {}\n" + text})


@pytest.mark.parametrize("text", [
    "no escapes at all", "String s = \"\\\\u002a\";", "\\u00e9 is not ASCII", "\\u12", "u002a", "\\n\\t",
])
def test_android_check_accepts_the_rest(text):
    android_check({"src/main/java/com/example/A.java": text, "README.md": "\\u002a in a non-Java file"})
