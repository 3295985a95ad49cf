<#
  station_app - developer set-up on Windows (the same as scripts/setup.sh on Linux).

    powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 run   [station-app args]
    powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 test  [pytest args]
    powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 bench [bench args]
    powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 build

  Idempotent: finds Python 3.12 (py -3.12, python3.12, python, the usual install folders), creates
  .venv if missing or not 3.12, and runs pip install -e .[dev] only when pyproject.toml changed since
  the last install. STATION_PYTHON=C:\path\to\python.exe picks the interpreter.
  (This file is ASCII on purpose: Windows PowerShell 5.1 misreads UTF-8 without a BOM.)
#>
param(
    [Parameter(Position = 0)][string]$Command = "",
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$VPy = Join-Path $Root ".venv\Scripts\python.exe"
$VBin = Join-Path $Root ".venv\Scripts"

function Say($msg) { Write-Host "[setup] $msg" -ForegroundColor Cyan }
function Die($msg) { Write-Host "[setup] error: $msg" -ForegroundColor Red; exit 2 }

if ($Command -notin @("run", "test", "bench", "build")) {
    Write-Host "usage: powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 {run|test|bench|build} [args]"
    exit 2
}

function Test-Py312([string[]]$cmd) {
    try {
        $exe = $cmd[0]; $args0 = @(); if ($cmd.Length -gt 1) { $args0 = $cmd[1..($cmd.Length - 1)] }
        & $exe @args0 -c "import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)" 2>$null | Out-Null
        return ($LASTEXITCODE -eq 0)
    } catch { return $false }
}

function Get-RealPy([string[]]$cmd) {
    $exe = $cmd[0]; $args0 = @(); if ($cmd.Length -gt 1) { $args0 = $cmd[1..($cmd.Length - 1)] }
    return (& $exe @args0 -c "import sys; print(sys.executable)").Trim()
}

function Find-Python {
    if ($env:STATION_PYTHON) {
        if (Test-Py312 @($env:STATION_PYTHON)) { return Get-RealPy @($env:STATION_PYTHON) }
        Die "STATION_PYTHON=$($env:STATION_PYTHON) is not a working Python 3.12"
    }
    $candidates = @(@("py", "-3.12"), @("python3.12"), @("python"))
    foreach ($c in $candidates) {
        if ((Get-Command $c[0] -ErrorAction SilentlyContinue) -and (Test-Py312 $c)) { return Get-RealPy $c }
    }
    $paths = @(
        "$env:LOCALAPPDATA\Programs\Python\Python312\python.exe",
        "$env:ProgramFiles\Python312\python.exe",
        "C:\Python312\python.exe"
    )
    foreach ($p in $paths) { if ((Test-Path $p) -and (Test-Py312 @($p))) { return $p } }
    Die ("no Python 3.12 found (PySide6 6.12 needs 3.12). Install it: winget install Python.Python.3.12 " +
         "or https://www.python.org/downloads/ ; or set STATION_PYTHON")
}

$t0 = Get-Date

# ---- .venv with Python 3.12
if (-not ((Test-Path $VPy) -and (Test-Py312 @($VPy)))) {
    $py = Find-Python
    if (Test-Path (Join-Path $Root ".venv")) {
        Say "recreating .venv (not a working Python 3.12) with $py"
        & $py -m venv --clear (Join-Path $Root ".venv")
    } else {
        Say "creating .venv with $py"
        & $py -m venv (Join-Path $Root ".venv")
    }
    if ($LASTEXITCODE -ne 0) { Die "python -m venv failed" }
}

# ---- pip install -e .[dev] when pyproject.toml changed
$stamp = Join-Path $Root ".venv\.station-setup-stamp"
$pyVersion = (& $VPy -VV) -join " "
$sha = [System.Security.Cryptography.SHA256]::Create()
$bytes = [System.IO.File]::ReadAllBytes((Join-Path $Root "pyproject.toml")) + [System.Text.Encoding]::UTF8.GetBytes($pyVersion)
$want = ([System.BitConverter]::ToString($sha.ComputeHash($bytes))).Replace("-", "")
$have = ""
if (Test-Path $stamp) { $have = (Get-Content $stamp -Raw).Trim() }
if (($have -ne $want) -or -not (Test-Path (Join-Path $VBin "station-app.exe"))) {
    Say "pip install -e .[dev] (pyproject.toml changed since the last install)"
    if (Test-Path $stamp) { Remove-Item $stamp }
    $env:PIP_DISABLE_PIP_VERSION_CHECK = "1"
    & $VPy -m pip install -q -e "$Root[dev]"
    if ($LASTEXITCODE -ne 0) { Die "pip install failed" }
    Set-Content -Path $stamp -Value $want -Encoding ascii
}
Say ("environment ready in {0:N0} s ({1})" -f ((Get-Date) - $t0).TotalSeconds, (& $VPy -V))

switch ($Command) {
    "run" {
        & (Join-Path $VBin "station-app.exe") @Rest
        exit $LASTEXITCODE
    }
    "bench" {
        if (-not (Test-Path (Join-Path $Root "bench\run_all.py"))) { Die "bench\run_all.py does not exist yet" }
        if (-not $env:QT_QPA_PLATFORM) { $env:QT_QPA_PLATFORM = "offscreen" }
        & $VPy -m bench.run_all @Rest
        exit $LASTEXITCODE
    }
    "build" {
        & $VPy (Join-Path $Root "installer\build.py") @Rest
        exit $LASTEXITCODE
    }
    "test" {
        $env:QT_QPA_PLATFORM = "offscreen"
        $results = [ordered]@{}
        $workers = if ($env:STATION_PYTEST_WORKERS) { $env:STATION_PYTEST_WORKERS } else { "2" }
        $steps = [ordered]@{
            "ruff"   = @((Join-Path $VBin "ruff.exe"), "check", $Root)
            "mypy"   = @((Join-Path $VBin "mypy.exe"), "--config-file", (Join-Path $Root "pyproject.toml"))
            "pytest" = @($VPy, "-m", "pytest", "-n", $workers, "--durations=15") + $Rest
        }
        if ($Rest.Count -eq 0) {  # the date-dependent tests again: at today's date, and past the last holiday year
            $steps["clock@today"] = @($VPy, "-m", "pytest", "-n", $workers, "-m", "clock")
            $steps["clock@after-calendar"] = @($VPy, "-m", "pytest", "-n", $workers, "-m", "clock",
                                               "--clock-at=after-calendar")
        }
        foreach ($name in $steps.Keys) {
            $cmd = $steps[$name]
            Say "-- ${name}: $($cmd -join ' ')"
            $s0 = Get-Date
            $exe = $cmd[0]; $cargs = $cmd[1..($cmd.Length - 1)]
            & $exe @cargs
            $results[$name] = @($LASTEXITCODE, [int]((Get-Date) - $s0).TotalSeconds)
        }
        Write-Host ""
        Say "========== summary =========="
        foreach ($name in $results.Keys) {
            $rc = $results[$name][0]
            $r = if ($rc -eq 0) { "ok" } else { "FAILED (exit $rc)" }
            Write-Host ("  {0,-21} {1,-20} {2,4} s" -f $name, $r, $results[$name][1])
        }
        foreach ($name in @("pytest", "clock@today", "clock@after-calendar")) {
            if ($results.Contains($name) -and $results[$name][0] -ne 0) { exit $results[$name][0] }
        }
        if (($results["ruff"][0] -ne 0) -or ($results["mypy"][0] -ne 0)) { exit 1 }
        exit 0
    }
}
