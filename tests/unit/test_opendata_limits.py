"""Import limits and CSV cells: a zip that expands too far is refused while it is read, and no
exported CSV cell is a formula a spreadsheet would run, while every value survives the round
trip."""

from __future__ import annotations

import csv
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from portal.db import make_engine
from portal.opendata.cells import guard, unguard
from portal.opendata.hsds_export import export_dir, items_from_engine
from portal.opendata.hsds_import import MAX_ZIP_ENTRIES, import_package
from portal.opendata.hsds_read import HsdsImportError
from portal.opendata.records import iter_records
from portal.seed import load_records

MB = 1024 * 1024


def fresh_engine(folder: Path, name: str = "fresh.db") -> Engine:
    return make_engine(f"sqlite:///{folder / name}")


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Well under 1 MB of zip that expands to 300 MB: one CSV of spaces."""
    path = tmp_path_factory.mktemp("bomb") / "directory.zip"
    block = b" " * MB
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", '{"resources": []}')
        with archive.open("organizations.csv", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(block)
    assert path.stat().st_size < MB
    return path


def test_a_zip_bomb_is_refused_early_with_a_clear_message(bomb: Path, tmp_path: Path) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(HsdsImportError) as refused:
            import_package(fresh_engine(tmp_path), bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(refused.value)
    assert "directory.zip" in message and "zip bomb" in message and "50 times" in message
    assert peak < 8 * MB, f"{peak:,} bytes held while refusing"


def _understate_sizes(path: Path, claimed: int) -> None:
    """Rewrite every central-directory entry to claim ``claimed`` uncompressed bytes."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        struct.pack_into("<I", data, at + 24, claimed)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_a_zip_whose_headers_understate_its_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("organizations.csv", b" " * (40 * MB))
    _understate_sizes(path, 1000)
    with pytest.raises(HsdsImportError, match=r"liar\.zip: not a readable zip"):
        import_package(fresh_engine(tmp_path), path)


def test_a_zip_of_too_many_files_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"f{n}.csv", "")
    with pytest.raises(HsdsImportError, match=f"more than {MAX_ZIP_ENTRIES} files"):
        import_package(fresh_engine(tmp_path), path)


def test_a_zip_reaching_outside_its_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "escape.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("package/../../escaped.csv", "id\n")
    with pytest.raises(HsdsImportError, match="unsafe path"):
        import_package(fresh_engine(tmp_path), path)
    assert not (tmp_path / "escaped.csv").exists()


# ---- CSV cells -------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example","Click")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",  # a value that already looks neutralised survives too
]
PLAIN = ["-122.4194", "+1 555-0100", "(555) 010-0100", "-5", "Dr. Ada", "", "'quoted'"]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_becomes_text(value: str) -> None:
    assert guard(value) == "'" + value
    assert unguard(guard(value)) == value


@pytest.mark.parametrize("value", PLAIN)
def test_numbers_and_plain_text_stay_as_they_are(value: str) -> None:
    assert guard(value) == value
    assert unguard(value) == value


def test_formulas_from_an_import_leave_the_export_as_text_and_round_trip(
    engine: Engine, tmp_path: Path
) -> None:
    records = [rec for _listing, rec in iter_records(engine)][:3]
    records[0] |= {"name": '=HYPERLINK("https://evil.example","Ada")', "bio": "@SUM(1+1)"}
    records[1] |= {"bio": "+cmd|' /C calc'!A0", "pronouns": "-she/her"}
    source = fresh_engine(tmp_path, "source.db")
    load_records(source, records, "formulas")
    out = tmp_path / "package"
    export_dir(items_from_engine(source), out)

    cells = [
        cell
        for path in out.glob("*.csv")
        for row in csv.reader(path.open(encoding="utf-8", newline=""))
        for cell in row
    ]
    assert not [c for c in cells if c[:1] in "=+@\t\r" and c], "a formula reached the CSV"
    assert not [c for c in cells if c.startswith("-") and not c[1:2].isdigit()]
    assert '\'=HYPERLINK("https://evil.example","Ada")' in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert any(c.startswith("-") and c[1:2].isdigit() for c in cells), "longitudes stay numbers"

    again = fresh_engine(tmp_path, "again.db")
    import_package(again, out)
    assert {r["slug"]: r for _l, r in iter_records(again)} == {r["slug"]: r for r in records}
