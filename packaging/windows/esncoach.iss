; Inno Setup 6 script: a per-user installer for the one-folder bundle that esncoach.spec builds.
; Built by packaging\windows\build.ps1, which passes the version read from the package:
;   iscc /DAppVersion=0.1.0 packaging\windows\esncoach.iss
; Paths are relative to this file. Workspaces live in %LOCALAPPDATA%\esncoach and are never removed
; by the uninstaller (nor is the keyring entry holding each workspace's key).

#define AppName "esncoach"
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z esncoach.iss (build.ps1 does)
#endif

[Setup]
; Keep this AppId for ever: it is how Windows recognises upgrades of the same application.
AppId={{6B4C1E1A-3F0B-4D8E-9C55-2A7E5D0F9E31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=esncoach
AppComments=Coach executives onto the enterprise social network
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; No administrator rights needed; an administrator may still choose "install for all users".
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\esncoach.ico
UninstallDisplayIcon={app}\esncoach.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\esncoach\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle as a whole, so no library from an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\esncoach.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\esncoach.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\esncoach.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
