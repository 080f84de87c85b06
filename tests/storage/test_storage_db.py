from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pos.domain.catalog import CatalogItem, make_search_key
from pos.storage import (
    AlreadyRunning,
    CatalogCache,
    Database,
    DataDirLock,
    SettingsTable,
    StorageError,
)
from pos.storage.catalog_cache import FORMAT
from pos.storage.db import SCHEMA_VERSION, classify
from tests.platforms import posix_only


def test_pragmas_and_schema(db: Database) -> None:
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert db.schema_version == SCHEMA_VERSION >= 1


def test_reopen_keeps_data_and_does_not_remigrate(tmp_path: Path) -> None:
    with Database.open(tmp_path / "k.db") as d:
        SettingsTable(d).set("last_store_id", 3288)
    with Database.open(tmp_path / "k.db") as d:
        assert SettingsTable(d).get("last_store_id") == 3288
        assert d.schema_version == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with Database.open(tmp_path / "k.db") as d:
        d.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError):
        Database.open(tmp_path / "k.db")


def test_settings(db: Database) -> None:
    s = SettingsTable(db)
    assert s.get("x", "dflt") == "dflt"
    s.set("x", {"a": [1, 2]})
    s.set("lang", "en")
    assert s.get("x") == {"a": [1, 2]}
    assert s.all() == {"x": {"a": [1, 2]}, "lang": "en"}
    s.delete("x")
    assert s.get("x") is None


def test_transaction_rolls_back(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as c:
        c.execute("INSERT INTO settings(key, value) VALUES ('k', '1')")
        raise RuntimeError
    assert SettingsTable(db).get("k") is None


def test_read_only_database_raises_storage_error(tmp_path: Path) -> None:
    Database.open(tmp_path / "k.db").close()
    with Database.open(tmp_path / "k.db", read_only=True) as ro:
        assert SettingsTable(ro).get("x") is None
        with pytest.raises(StorageError) as ei:
            SettingsTable(ro).set("x", 1)
        assert ei.value.message_id == "storage_readonly"


_READ_ONLY_CHILD = """
import os, sys
from pos.storage import Database, StorageError, DataDirLock, SettingsTable
if os.geteuid() == 0:
    os.setgid(65534); os.setuid(65534)  # imports first: the stdlib may be unreadable to nobody
ro = sys.argv[1]
for action in ("db", "lock", "existing"):
    try:
        if action == "db":
            Database.open(os.path.join(ro, "new", "kasir.db"))
        elif action == "lock":
            DataDirLock(ro).acquire()
        else:
            with Database.open(os.path.join(ro, "kasir.db")) as d:
                SettingsTable(d).set("x", 1)
    except StorageError as e:
        print(action, e.message_id)
    else:
        print(action, "no error")
"""


@posix_only("POSIX permissions (chmod 0o555) and setuid to nobody")
def test_read_only_data_dir() -> None:
    # As root (CI), the child drops to user nobody, since root ignores permissions.
    import subprocess
    import sys
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="kasir-ro-"))
    try:
        Database.open(root / "kasir.db").close()
        root.chmod(0o555)
        for f in root.iterdir():
            f.chmod(0o444)
        proc = subprocess.run(
            [sys.executable, "-c", _READ_ONLY_CHILD, str(root)],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        lines = dict(line.split(" ", 1) for line in proc.stdout.strip().splitlines())
        assert lines["db"] in ("storage_readonly", "storage_unavailable")
        assert lines["lock"] in ("storage_readonly", "storage_unavailable")
        assert lines["existing"] in ("storage_readonly", "storage_unavailable")
    finally:
        root.chmod(0o755)
        for f in root.iterdir():
            f.unlink()
        root.rmdir()


def test_unopenable_path_raises_storage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StorageError) as ei:
        Database.open(tmp_path / "a-file" / "kasir.db")  # parent is a file
    assert ei.value.message_id in ("storage_unavailable", "storage_readonly")


def test_not_a_database(tmp_path: Path) -> None:
    p = tmp_path / "k.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError) as ei:
        Database.open(p)
    assert ei.value.message_id == "storage_corrupt"


def test_full_disk_raises_storage_error_and_keeps_data(db: Database) -> None:
    s = SettingsTable(db)
    s.set("keep", "me")
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError) as ei:
        s.set("big", "x" * 200_000)
    assert ei.value.message_id == "storage_full"
    assert s.get("keep") == "me" and s.get("big") is None
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    ("text", "mid"),
    [
        ("attempt to write a readonly database", "storage_readonly"),
        ("database or disk is full", "storage_full"),
        ("database is locked", "storage_locked"),
        ("file is not a database", "storage_corrupt"),
        ("unable to open database file", "storage_unavailable"),
        ("something else", "storage_error"),
    ],
)
def test_classify(text: str, mid: str) -> None:
    assert classify(sqlite3.OperationalError(text)) == mid


def make_items(n: int) -> list[CatalogItem]:
    out = []
    for i in range(n):
        name = f"Produk nomor {i} — ukuran besar"
        sku = f"SKU-{i:06d}"
        kind = "bundle" if i % 10 == 0 else "variant"
        out.append(
            CatalogItem(
                key=f"{kind[0]}:uid_{i}",
                kind=kind,
                unique_id=f"uid_{i}",
                id=i,
                parent_id=i // 3,
                name=name,
                sku=sku,
                price=1000 + i,
                item_type="physical" if i % 2 else None,
                weight=i % 700,
                image_url=f"https://img.example/{i}.jpg" if i % 3 else None,
                lines=((i, 1), (i + 1, 2)) if kind == "bundle" else ((i, 1),),
                search_key=make_search_key(name, sku),
            )
        )
    return out


def test_catalog_cache_roundtrip_50k(db: Database) -> None:
    # Load time is a benchmark figure (bench/), not a pass/fail assertion.
    cache = CatalogCache(db)
    assert cache.load(1) is None
    items = make_items(50_000)
    cache.save(1, items)
    assert cache.load(1) == items
    assert cache.load(2) is None
    cache.save(1, items[:3])
    assert cache.load(1) == items[:3]
    assert cache.saved_at(1)
    cache.clear(1)
    assert cache.load(1) is None


def test_catalog_cache_ignores_garbage(db: Database) -> None:
    with db.transaction() as c:
        c.execute("INSERT INTO catalog_cache VALUES (5, 'now', ?, 1, ?)", (FORMAT, b"garbage"))
    assert CatalogCache(db).load(5) is None


def test_data_dir_lock(tmp_path: Path) -> None:
    first = DataDirLock(tmp_path)
    first.acquire()
    assert first.held and (tmp_path / "kasir.lock").exists()
    second = DataDirLock(tmp_path)
    with pytest.raises(AlreadyRunning) as ei:
        second.acquire()
    assert ei.value.message_id == "already_running"
    first.release()
    with second:
        assert second.held
    assert not second.held
    with DataDirLock(tmp_path):
        pass


def test_data_dir_lock_across_processes(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pos.storage import DataDirLock, AlreadyRunning\n"
        "try:\n    DataDirLock(sys.argv[1]).acquire()\nexcept AlreadyRunning:\n    sys.exit(3)\n"
    )
    with DataDirLock(tmp_path):
        rc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False).returncode
        assert rc == 3
    rc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False).returncode
    assert rc == 0


def test_in_memory_database_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Database.open(":memory:") as db:
        SettingsTable(db).set("k", 1)
        assert SettingsTable(db).get("k") == 1
    assert list(tmp_path.iterdir()) == []
