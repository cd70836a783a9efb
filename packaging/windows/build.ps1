# Build the Windows installer: icons, the PyInstaller bundle, then Inno Setup.
# Run from the checkout root in PowerShell, with Python 3.11+ and Inno Setup 6 installed:
#   py -3.11 -m venv .venv; .venv\Scripts\pip install -e ".[packaging]"
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
$py = "$root\.venv\Scripts\python.exe"

$version = & $py -c "import sys; sys.path.insert(0, 'packaging'); import spec_support, pathlib; print(spec_support.app_identity(pathlib.Path('.'))[1])"
Write-Host "esncoach $version"

$env:QT_QPA_PLATFORM = "offscreen"
& $py packaging\render_icons.py build\icons
Remove-Item Env:\QT_QPA_PLATFORM
& $py -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\esncoach.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# Smoke test of the console launcher (a passphrase file keeps Credential Manager untouched).
$smoke = Join-Path $env:TEMP "esncoach-smoke-$(Get-Random)"
New-Item -ItemType Directory $smoke | Out-Null
Set-Content -Path "$smoke\pass.txt" -Value "smoke test passphrase" -NoNewline
& dist\esncoach\esncoach-cli.exe demo --db "$smoke\demo.db" --passphrase-file "$smoke\pass.txt"
if ($LASTEXITCODE -ne 0) { throw "smoke test: demo failed" }
& dist\esncoach\esncoach-cli.exe check --db "$smoke\demo.db" --passphrase-file "$smoke\pass.txt"
if ($LASTEXITCODE -ne 0) { throw "smoke test failed" }
Remove-Item -Recurse -Force $smoke

$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { $iscc = "iscc" }
& $iscc "/DAppVersion=$version" packaging\windows\esncoach.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "installer: dist\esncoach-$version-windows-x64-setup.exe"
