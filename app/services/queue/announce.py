"""The hall's spoken call (请 A012 号到 3号窗口 办理): the platform's Mandarin voice where one exists,
a chime otherwise, and the machine's beep as the last resort.

Qt-free, so the choice is testable without a screen: the hall display is handed an Announcer and only
says `announce(text)`. Every sound runs on one background thread, one after another, so two calls in
the same second are both heard and the display never waits for a voice. The text reaches a speech
program as an argument or an environment variable, never inside a shell or PowerShell command line,
so a window name cannot run anything.
"""

from __future__ import annotations

import io
import logging
import math
import os
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SPEECH = "speech"
CHIME = "chime"
BEEP = "beep"
KIND_LABELS = {SPEECH: "普通话语音播报", CHIME: "提示音（本机没有中文语音）", BEEP: "系统提示音（本机无法播放声音文件）"}
MAX_TEXT = 60  # a call is one short sentence; nothing longer is ever handed to a speech engine
RUN_TIMEOUT_S = 20  # a voice that hangs must not hold back the next call for ever
SAMPLE_RATE = 22050

Which = Callable[[str], str | None]
Runner = Callable[[Sequence[str], dict[str, str] | None], int]


def announcement_text(number: str, window_name: str, window_code: str = "") -> str:
    """What the hall hears and reads: 请 A012 号到 3号窗口 办理. The window's own name when it has one
    (1号综合受理窗口), else its node code read as a window number."""
    place = window_name.strip() or (f"{int(window_code)}号窗口" if window_code.strip().isdigit() else "窗口")
    return f"请 {number.strip()} 号到 {place} 办理"[:MAX_TEXT]


def chime_wav() -> bytes:
    """A two-tone 叮咚 (0.9 s, 16-bit mono), made here so no sound file has to ship with the program;
    the same bytes every time."""
    frames = bytearray()
    for tone, seconds in ((880.0, 0.35), (660.0, 0.55)):
        count = int(SAMPLE_RATE * seconds)
        for i in range(count):
            fade = min(1.0, i / 400) * (1 - i / count) ** 1.5  # soft attack, bell-like decay
            frames += struct.pack("<h", int(12000 * fade * math.sin(2 * math.pi * tone * i / SAMPLE_RATE)))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(bytes(frames))
    return out.getvalue()


def _run(command: Sequence[str], env: dict[str, str] | None) -> int:
    """A sound program to its end (bounded); its exit code, or -1 when it could not run."""
    try:
        done = subprocess.run(list(command), env={**os.environ, **env} if env else None, timeout=RUN_TIMEOUT_S,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        log.warning("sound program failed: %s", command[0], exc_info=True)
        return -1
    return done.returncode


class _Sequencer:
    """One daemon thread playing sounds in turn; it starts on the first sound."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue(maxsize=20)  # a flood of calls is dropped
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="hall-announcer", daemon=True)
                self._thread.start()
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            log.warning("announcement dropped: too many waiting")

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:  # a sound that fails must not end the thread
                log.warning("announcement failed", exc_info=True)
            finally:
                self._jobs.task_done()

    def join(self) -> None:
        """Until every queued sound has played (tests)."""
        self._jobs.join()


@dataclass
class Announcer:
    """Says one call. `speech` is the command that speaks (the text is appended, or passed in the
    environment as MINSHENG_SAY when `text_in_env`); `player` plays the chime file; `beep` is the
    last resort (QApplication.beep, handed in by the display). `kind` says which the hall gets."""

    kind: str
    speech: tuple[str, ...] = ()
    text_in_env: bool = False
    player: tuple[str, ...] = ()
    beep: Callable[[], None] | None = None
    run: Runner = _run
    chime_file: Path | None = None
    _sequencer: _Sequencer = field(default_factory=_Sequencer, repr=False)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def announce(self, text: str) -> None:
        """Queue the chime, then the voice (when there is one); returns at once."""
        text = " ".join(text.split())[:MAX_TEXT]
        if self.kind == BEEP:
            if self.beep is not None:
                self.beep()  # Qt's beep belongs to the GUI thread that called
            return
        self._sequencer.put(lambda: self._play(text))

    def _play(self, text: str) -> None:
        self._chime()
        if self.kind == SPEECH and text:
            if self.text_in_env:
                self.run(self.speech, {"MINSHENG_SAY": text})
            else:
                self.run((*self.speech, text), None)

    def _chime(self) -> None:
        if sys.platform == "win32" and not self.player:
            import winsound  # type: ignore[import-not-found,unused-ignore]

            winsound.PlaySound(chime_wav(), winsound.SND_MEMORY)  # type: ignore[attr-defined,unused-ignore]
            return
        if self.player:
            if self.chime_file is None or not self.chime_file.exists():
                handle, name = tempfile.mkstemp(prefix="minsheng-chime-", suffix=".wav")
                with os.fdopen(handle, "wb") as out:
                    out.write(chime_wav())
                self.chime_file = Path(name)
            self.run((*self.player, str(self.chime_file)), None)

    def wait(self) -> None:
        self._sequencer.join()


# Windows: the .NET speech synthesizer with a Chinese voice; exit 3 when none is installed (then the
# chime already played is all the hall hears). The text comes from the environment, not the script.
WINDOWS_SPEECH = (
    "Add-Type -AssemblyName System.Speech; $s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "$v = $s.GetInstalledVoices() | Where-Object { $_.VoiceInfo.Culture.Name -like 'zh*' } | Select-Object -First 1; "
    "if (-not $v) { exit 3 }; $s.SelectVoice($v.VoiceInfo.Name); $s.Rate = -1; $s.Speak($env:MINSHENG_SAY)"
)


def _espeak_voice(program: str, run_text: Callable[[Sequence[str]], str]) -> str | None:
    """espeak-ng's Mandarin voice name (cmn in current versions, zh in older ones), None if it has none."""
    listing = run_text([program, "--voices"])
    codes = {line.split()[1] for line in listing.splitlines()[1:] if len(line.split()) > 1}
    return next((code for code in ("cmn", "zh", "zh-cmn") if code in codes), None)


def _text_of(command: Sequence[str]) -> str:
    try:
        return subprocess.run(list(command), capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def choose_announcer(platform: str = sys.platform, which: Which = shutil.which,
                     beep: Callable[[], None] | None = None, run: Runner = _run,
                     run_text: Callable[[Sequence[str]], str] = _text_of) -> Announcer:
    """The best this machine has: a Mandarin voice (Windows SAPI through PowerShell; espeak-ng with its
    Mandarin voice elsewhere) after the chime; else the chime alone (winsound, paplay or aplay); else
    the beep."""
    if platform == "win32":
        shell = which("powershell") or which("pwsh")
        if shell:
            return Announcer(SPEECH, (shell, "-NoProfile", "-NonInteractive", "-Command", WINDOWS_SPEECH),
                             text_in_env=True, beep=beep, run=run)
        return Announcer(CHIME, beep=beep, run=run)
    player: tuple[str, ...] = ()
    for program, args in (("paplay", ()), ("aplay", ("-q",)), ("afplay", ())):
        found = which(program)
        if found:
            player = (found, *args)
            break
    espeak = which("espeak-ng")
    voice = _espeak_voice(espeak, run_text) if espeak else None
    if espeak and voice:
        return Announcer(SPEECH, (espeak, "-v", voice, "-s", "140"), player=player, beep=beep, run=run)
    if player:
        return Announcer(CHIME, player=player, beep=beep, run=run)
    return Announcer(BEEP, beep=beep, run=run)
