; Inno Setup 6 script for KFOR Desk on Windows (x64): a per-user install, no administrator rights.
;
; Build on Windows, after building the bundle there with PyInstaller:
;   python packaging\make_icons.py packaging\build\icons
;   set KFOR_DESK_ICON_DIR=%CD%\packaging\build\icons
;   python -m PyInstaller --noconfirm --distpath packaging\dist --workpath packaging\build\pyinstaller packaging\kfor-desk.spec
;   iscc packaging\windows\kfor-desk.iss            (or: iscc /DAppVersion=0.2.0 ...)
; which writes packaging\dist\kfor-desk-<version>-setup.exe. It cannot be built on the Linux
; build machine (see README, "Installing").
;
; Program files: {localappdata}\Programs\KFOR Desk. Data, backups and settings are per user and
; are not touched by the installer or the uninstaller:
;   database and backups  {localappdata}\kfor-desk\            (platformdirs' user data folder)
;   window settings       {userappdata}\kfor-desk\kfor-desk.ini
; Portable use (USB stick) needs no installer: copy the bundle folder and put an empty
; kfor-desk.portable file beside kfor-desk.exe.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "KFOR Desk"
#define BundleDir "..\dist\kfor-desk"

[Setup]
AppId={{85AE8CD9-0AE5-42B7-9607-80922F0BE893}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=KFOR Desk
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=kfor-desk-{#AppVersion}-setup
SetupIconFile=..\build\icons\kfor-desk.ico
UninstallDisplayIcon={app}\kfor-desk-window.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: kfor-desk.exe (command line), kfor-desk-window.exe (no console)
; and _internal\ (Python, Qt, resources, migrations, proj.db).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs; Excludes: "kfor-desk.portable,data\*,share\*"

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\kfor-desk-window.exe"; WorkingDir: "{localappdata}"; Comment: "SAF notifications, KSF consent requests, deconfliction and briefs"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\kfor-desk-window.exe"; WorkingDir: "{localappdata}"; Tasks: desktopicon

[Run]
Filename: "{app}\kfor-desk-window.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program folder gained at run time (Python caches); never the user's data.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
