; 民生服务工作站 — the Windows installer around the one-folder bundle that `make dist` builds on Windows.
;
;   makensis -DBUNDLE=C:\src\minsheng\dist\minsheng -DVERSION=0.1.0 -DOUTFILE=minsheng-setup.exe minsheng.nsi
;
; The program goes to Program Files, with a Start-menu folder and an uninstaller. The data never live
; there: each user's workstation database, backups and logs are in their own data folder
; (%LOCALAPPDATA%\MinshengWorkstation, app/paths.py), which neither an upgrade nor the uninstaller touches,
; so a clerk's cases survive every upgrade and even a reinstall.

Unicode true
!ifndef BUNDLE
  !define BUNDLE "..\..\dist\minsheng"
!endif
!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "minsheng-setup-${VERSION}.exe"
!endif
!define APPNAME "民生服务工作站"
!define APPKEY "MinshengWorkstation"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPKEY}"
InstallDirRegKey HKLM "Software\${APPKEY}" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
ManifestSupportedOS Win10

!include "MUI2.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\minsheng.exe"
!define MUI_FINISHPAGE_RUN_TEXT "启动${APPNAME}"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ; Qt 6 runs on 64-bit Windows 10 or later only.
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME}需要 64 位 Windows 10 或更高版本（Qt 6 的要求），本机无法安装。"
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Install"
  SetShellVarContext all
  ; An upgrade replaces the program files only; files of the older version that this one no longer has
  ; must not linger in _internal, where Python would still find them.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\minsheng.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}（培训模式）.lnk" "$INSTDIR\minsheng.exe" "--training"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "乡镇民生服务中心"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\minsheng.exe"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${APPNAME}\*.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  ; The program folder only: the users' data folders stay, with every case, backup and log in them.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\minsheng.exe"
  Delete "$INSTDIR\minsheng-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "Software\${APPKEY}"
  MessageBox MB_ICONINFORMATION "${APPNAME}已卸载。各用户的数据（办件、备份、日志）仍保存在其数据文件夹（%LOCALAPPDATA%\${APPKEY}）中，重新安装后可继续使用。"
SectionEnd
