from __future__ import annotations

import json
from pathlib import Path

import pytest

from pos.config import (
    DEFAULT_BASE_URL,
    AppSettings,
    PrinterSettings,
    ReceiptSettings,
    as_backend,
    config_dir,
    data_dir,
    load_settings,
    log_dir,
    save_settings,
    settings_path,
)


def test_defaults() -> None:
    s = AppSettings()
    assert s.backend == "demo"
    assert s.base_url == DEFAULT_BASE_URL
    assert s.terminal_name == "KASIR-01"
    assert s.language == "system"
    assert s.printer == PrinterSettings(kind="none", target="", width=58)
    assert s.printer.columns == 32
    assert PrinterSettings(width=80).columns == 48
    assert s.receipt.show_qr is True


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == AppSettings()


def test_round_trip(tmp_path: Path) -> None:
    s = AppSettings(
        backend="scalev",
        base_url="https://api.scalev.com",
        default_store_id=42,
        terminal_name="KASIR-02",
        language="en",
        printer=PrinterSettings(kind="network", target="192.168.1.50:9100", width=80),
        receipt=ReceiptSettings(show_qr=False, footer="Sampai jumpa lagi"),
    )
    path = save_settings(s, tmp_path)
    assert path == settings_path(tmp_path) == tmp_path / "settings.json"
    assert load_settings(tmp_path) == s
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["printer"]["width"] == 80
    assert not {"api_key", "key", "token", "secret"} & data.keys()
    # no temp files left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_save_creates_directories(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    save_settings(AppSettings(terminal_name="X"), target)
    assert load_settings(target).terminal_name == "X"


def test_load_is_lenient(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "backend": "prod",
                "base_url": "https://api.scalev.com/ ",
                "default_store_id": True,
                "terminal_name": "  KASIR   07 ",
                "language": "fr",
                "printer": {"kind": "bluetooth", "target": " /dev/usb/lp0 ", "width": 57},
                "receipt": {"show_qr": "yes", "footer": 3},
                "api_key": "sk_should_be_ignored",
                "unknown": 1,
            }
        ),
        encoding="utf-8",
    )
    s = load_settings(tmp_path)
    assert s.backend == "demo"
    assert s.base_url == "https://api.scalev.com"
    assert s.default_store_id is None
    assert s.terminal_name == "KASIR 07"
    assert s.language == "system"
    assert s.printer == PrinterSettings(kind="none", target="/dev/usb/lp0", width=58)
    assert s.receipt == ReceiptSettings()
    assert "sk_should_be_ignored" not in json.dumps(s.to_dict())


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", "null"])
def test_corrupt_file_gives_defaults(tmp_path: Path, content: str) -> None:
    (tmp_path / "settings.json").write_text(content, encoding="utf-8")
    assert load_settings(tmp_path) == AppSettings()


def test_with_changes() -> None:
    s = AppSettings().with_changes(terminal_name="KASIR-09")
    assert s.terminal_name == "KASIR-09"
    assert AppSettings().terminal_name == "KASIR-01"


def test_as_backend() -> None:
    assert as_backend("scalev") == "scalev"
    with pytest.raises(ValueError):
        as_backend("live")


def test_directory_overrides(tmp_path: Path) -> None:
    env = {
        "KASIR_CONFIG_DIR": str(tmp_path / "c"),
        "KASIR_DATA_DIR": str(tmp_path / "d"),
        "KASIR_LOG_DIR": str(tmp_path / "l"),
    }
    assert config_dir(env) == tmp_path / "c"
    assert data_dir(env) == tmp_path / "d"
    assert log_dir(env) == tmp_path / "l"
    # without overrides: the platform folders, all named after the app
    for path in (config_dir({}), data_dir({}), log_dir({})):
        assert "kasir" in str(path).lower()
