# Build Kasir as a one-folder Windows app (dist\kasir\) and prove it works with its self-test.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1     (from anywhere)
#
# Steps: a build venv (build\venv), `pip install -e .[package]` (the app + the pinned
# PyInstaller), `pyinstaller packaging\kasir.spec`, then `dist\kasir\kasir-cli.exe --self-test`
# offscreen (a scripted demo sale on the embedded sandbox) must exit 0. The result holds
# kasir.exe (windowed: the till, with icon and version info) and kasir-cli.exe (console:
# doctor, sandbox, self-test), ready to zip or wrap in an installer.
#
# Environment: KASIR_PYTHON (default: `py -3.11`), KASIR_BUILD_VENV (default build\venv; reused
# when it exists), KASIR_SPEC (default packaging\kasir.spec).
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root
$Venv = if ($env:KASIR_BUILD_VENV) { $env:KASIR_BUILD_VENV } else { "build\venv" }
$Spec = if ($env:KASIR_SPEC) { $env:KASIR_SPEC } else { "packaging\kasir.spec" }
$Dist = "dist\kasir"

function Step($text) { Write-Host ""; Write-Host "== $text" }
function Check($what) {
    if ($LASTEXITCODE -ne 0) { throw "$what failed (exit $LASTEXITCODE)" }
}

$started = Get-Date
Step "venv $Venv"
if (-not (Test-Path "$Venv\Scripts\python.exe")) {
    if ($env:KASIR_PYTHON) { & $env:KASIR_PYTHON -m venv $Venv } else { & py -3.11 -m venv $Venv }
    Check "python -m venv"
}
& "$Venv\Scripts\python.exe" -c "import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v < (3, 14) else 'Kasir needs Python 3.11-3.13, this is %d.%d' % v)"
Check "the Python version check"
& "$Venv\Scripts\python.exe" -m pip install -q -e ".[package]"
Check "pip install"
$installed = Get-Date

Step "pyinstaller $Spec"
& "$Venv\Scripts\pyinstaller.exe" --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller $Spec
Check "pyinstaller"
foreach ($exe in @("kasir.exe", "kasir-cli.exe")) {
    if (-not (Test-Path "$Dist\$exe")) { throw "build failed: $Dist\$exe is missing" }
}
$built = Get-Date

Step "self-test $Dist\kasir-cli.exe --self-test"
# From an empty folder, offscreen, so nothing from the source tree can leak into the app.
$home_dir = "build\selftest-home"
if (Test-Path $home_dir) { Remove-Item -Recurse -Force $home_dir }
New-Item -ItemType Directory -Path $home_dir | Out-Null
$env:QT_QPA_PLATFORM = "offscreen"
Push-Location $home_dir
try {
    & "$Root\$Dist\kasir-cli.exe" --self-test
    $status = $LASTEXITCODE
} finally {
    Pop-Location
    Remove-Item Env:\QT_QPA_PLATFORM
}
$done = Get-Date

Step "summary"
"install:     {0:N0} s" -f ($installed - $started).TotalSeconds
"pyinstaller: {0:N0} s" -f ($built - $installed).TotalSeconds
"self-test:   {0:N0} s" -f ($done - $built).TotalSeconds
"size:        {0:N0} MB ($Dist)" -f ((Get-ChildItem -Recurse $Dist | Measure-Object Length -Sum).Sum / 1MB)
if ($status -ne 0) { throw "SELF-TEST FAILED (exit $status)" }
Write-Host "OK: $Dist\kasir.exe built and self-tested"
