; 信访接待台 (xfdesk): the Windows installer, an Inno Setup 6 script.
; How to build it and what it does: installer/windows/README.md.
;
; From the repository root, after `pyinstaller build.spec --noconfirm` made dist\xfdesk\:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\xfdesk.iss
; writes dist\xfdesk-setup-0.1.0.exe.
;
; Defines the build may pass (ISCC /Dname=value):
;   AppVersion         the version shown and used in the file name (default below: pyproject.toml's)
;   AppVersionNumeric  up to four numbers for the file's version resource, e.g. 0.1.0 for 0.1.0rc1
;                      (default: AppVersion, which must then be numeric)
;   ChineseIsl         the Simplified Chinese messages file, when it is not in the compiler's
;                      Languages folder (Inno Setup 6 does not ship it: see README.md)
;
; This file is UTF-8 without a byte-order mark, which needs Inno Setup 6.3 or later (as does
; x64compatible below).

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or later is needed (x64compatible, UTF-8 script without a BOM)
#endif

#ifndef AppVersion
  ; Keep in step with pyproject.toml (tests/packaging/test_windows_installer_files.py checks).
  #define AppVersion "0.2.0"
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif

#ifndef ChineseIsl
  #if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
    #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
  #else
    #error ChineseSimplified.isl is not in the Languages folder of Inno Setup: copy it there, or pass /DChineseIsl=path\to\ChineseSimplified.isl (installer\windows\README.md)
  #endif
#endif

#define AppName "信访接待台"
; The window (a windowed .exe). build.spec also puts the console twin xfdesk-cli.exe next to it.
#define AppExe "xfdesk.exe"
; PyInstaller's one-folder bundle, relative to this script's folder.
#define BundleDir "..\..\dist\xfdesk"

#ifnexist AddBackslash(SourcePath) + BundleDir + "\" + AppExe
  #error dist\xfdesk\xfdesk.exe is missing: run "pyinstaller build.spec --noconfirm" in the repository root first
#endif

[Setup]
; Never change AppId: a newer setup finds the installed copy by it and replaces it in place
; (same folder, same shortcuts, the tasks chosen last time). The doubled {{ is Inno's escape.
AppId={{3CEBAE1A-EF08-472F-93C0-0167377D2037}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=xfdesk
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
; Per machine: Program Files, Start menu and desktop shortcuts for every user of the desk.
PrivilegesRequired=admin
DefaultDirName={autopf}\Xfdesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; The folder page is shown on the first install only; an upgrade keeps the installed folder.
DisableDirPage=auto
UsePreviousAppDir=yes
; The bundle is 64-bit Python and Qt; Qt 6 needs Windows 10 1809 or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
; An upgrade closes a running 信访接待台 first (Windows Restart Manager; the wizard asks, a
; silent install just closes it) and does not start it again by itself.
CloseApplications=yes
RestartApplications=no
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
WizardStyle=modern
#ifexist AddBackslash(SourcePath) + "..\..\resources\icons\xfdesk.ico"
SetupIconFile=..\..\resources\icons\xfdesk.ico
#endif
OutputDir=..\..\dist
OutputBaseFilename=xfdesk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建“信访接待台”快捷方式"; GroupDescription: "附加快捷方式："

[InstallDelete]
; An upgrade replaces the whole bundle: files an older version had and the new one dropped
; (a Qt plugin, a library) must not stay behind to be loaded. Only program files live here.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "信访事项登记、查询和跟踪"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; postinstall entries run as the user who started Setup, not as the elevated administrator, so
; the first start creates the data folder of the right Windows account.
Filename: "{app}\{#AppExe}"; Description: "立即运行{#AppName}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the data (database, backups, logs, attachments) is never in {app}. The
; app keeps it in the per-user folder Qt's QStandardPaths names, %LOCALAPPDATA%\xfdesk (or
; XFDESK_DATA_DIR / --data-dir). Inno Setup never touches that folder: uninstalling removes the
; program only, and a later install finds the data again (migrated, after a backup, at start).
