; Inno Setup 6 script for station_app (建设工程安全监督站工作台).
; Build the bundle first (on Windows):  powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 build
; then:  "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\station_app.iss
; Output: build\installer\station-app-setup-<version>.exe
;
; The program goes to Program Files; each user's data stays in %LOCALAPPDATA%\station_app (created on
; first start), which the uninstaller does not touch. This file is UTF-8 with a BOM (Inno Setup 6 needs
; the BOM to read the Chinese names).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "建设工程安全监督站工作台"
#define AppExe "station-app.exe"
#define AppCli "station-app-cli.exe"
#define BundleDir "..\build\dist\station-app"

[Setup]
; AppId identifies the product for upgrades and the uninstaller: never change it.
AppId={{5B0E3C64-7A1F-4D2B-9C4E-3F6A1D8E2B71}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=建设工程安全监督站
DefaultDirName={autopf}\StationApp
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\build\installer
OutputBaseFilename=station-app-setup-{#AppVersion}
SetupIconFile=station_app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Closing a running instance before files are replaced (upgrade) and before uninstall.
CloseApplications=yes
RestartApplications=no

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole PyInstaller onedir bundle: both exes and _internal\.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle's internals wholesale (no stale modules from an older version).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\备份数据库"; Filename: "{app}\{#AppCli}"; Parameters: "backup"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself may leave inside {app}. User data (%LOCALAPPDATA%\station_app:
; database, backups, attachments, documents) is deliberately kept.
Type: filesandordirs; Name: "{app}\_internal"

[Messages]
FinishedLabel=安装完成。数据保存在 %LOCALAPPDATA%\station_app，卸载程序不会删除它。

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('程序已卸载。数据（数据库、备份、附件）仍保存在 ' +
           ExpandConstant('{localappdata}') + '\station_app，如不再需要可手动删除。',
           mbInformation, MB_OK);
end;
