"""The sandbox as a program (``python -m pos.sandbox``) and the benchmark catalog."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pos.sandbox import DEMO_API_KEY, SandboxServer
from tests.platforms import posix_only
from tests.sandbox.helpers import Api


@posix_only("SIGINT sent to a child process")
def test_python_m_pos_sandbox_serves_and_stops_on_sigint(tmp_path: Path) -> None:
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    env.pop("KASIR_SANDBOX_FAULTS", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pos.sandbox",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path / "cli"),
            "--seed",
            "7",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        base_url = None
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                base_url = match.group(1)
            if DEMO_API_KEY in line:
                break
        assert base_url, lines
        resp = httpx.get(
            f"{base_url}/v3/stores/simplified", headers={"Authorization": f"Bearer {DEMO_API_KEY}"}
        )
        assert resp.status_code == 200
        assert resp.json()["data"][0]["name"] == "Toko Kopi Nusantara"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopped" in out
        assert "GET /v3/stores/simplified -> 200" in err  # request log
        assert (tmp_path / "cli" / "sandbox.sqlite3").exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_benchmark_store_with_50000_products(tmp_path: Path) -> None:
    started = time.perf_counter()
    with SandboxServer(tmp_path / "bench", products=50_000, rate_limit=False) as server:
        build_s = time.perf_counter() - started
        api = Api(server)
        try:
            stores = api.get("/v3/stores/simplified", params={"search": "benchmark"}).json()["data"]
            assert [s["name"] for s in stores] == ["Toko Benchmark"]
            first = api.get(f"/v3/stores/{stores[0]['id']}/products").json()
            assert len(first["data"]) == 25 and first["has_next"]
            # jump deep into the catalog via the cursor chain (a few hops)
            cursor = first["next_cursor"]
            for _ in range(3):
                page = api.get(
                    f"/v3/stores/{stores[0]['id']}/products", params={"next_cursor": cursor}
                ).json()
                cursor = page["next_cursor"]
            assert page["data"][0]["id"] == first["data"][0]["id"] + 75
            health = httpx.get(server.base_url + "/__sandbox/health").json()
            assert health["products"] >= 50_000
        finally:
            api.close()
    print(f"built 50k-product sandbox in {build_s:.2f}s")  # informational, no timing assert
