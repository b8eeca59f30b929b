"""Which reader this workstation has: a local device setting in the data folder (idcard-reader.json), never a
centre setting, since the reader is plugged into this machine and the next window may have another or none.

No file, or `none`, means no reader: nothing polls and typing is untouched. A damaged file counts as no
reader (and the settings dialog says why), so a bad setting can never stop the workstation from starting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.safe_write import write_bytes_atomically
from app.services.errors import ValidationError
from app.services.idcard.dll import AUTO_PORT, SERIAL_PORTS, USB_PORTS
from app.services.idcard.reader import CardReader
from app.services.input_limits import parse_json, read_text_file

CONFIG_FILE = "idcard-reader.json"
CONFIG_MAX_BYTES = 4000
PATH_MAX_CHARS = 500
KINDS = {"none": "无", "simulated": "模拟读卡器（文件）", "termb": "华视 termb.dll", "sdtapi": "sdtapi.dll（神思、新中新等）"}


@dataclass(frozen=True)
class ReaderConfig:
    kind: str = "none"
    port: int = AUTO_PORT  # termb/sdtapi: 0 = try USB 1001–1016, else one port
    file: str = ""  # simulated: the card file

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def check_config(config: ReaderConfig) -> ReaderConfig:
    """The setting, or ValidationError naming what is wrong."""
    if config.kind not in KINDS:
        raise ValidationError(f"读卡器类型“{config.kind[:20]}”无法识别")
    if config.kind in {"termb", "sdtapi"} and config.port not in (AUTO_PORT, *USB_PORTS, *SERIAL_PORTS):
        raise ValidationError("读卡器端口应为自动、USB 1001–1016 或串口 1–16")
    if config.kind == "simulated":
        if not config.file.strip():
            raise ValidationError("请选择模拟读卡器的身份证文件（.json）")
        if len(config.file) > PATH_MAX_CHARS:
            raise ValidationError(f"模拟读卡器的文件路径不能超过{PATH_MAX_CHARS}字")
    return config


def config_path(data_dir: Path) -> Path:
    return Path(data_dir) / CONFIG_FILE


def load_config(data_dir: Path) -> ReaderConfig:
    """The saved setting; ValidationError for a damaged file (the caller treats it as no reader)."""
    path = config_path(data_dir)
    if not path.exists():
        return ReaderConfig()
    document = parse_json(read_text_file(path, CONFIG_MAX_BYTES, "读卡器设置"), max_depth=2)
    if not isinstance(document, dict):
        raise ValidationError("读卡器设置文件已损坏，请重新设置读卡器")
    kind, port, file = document.get("kind", "none"), document.get("port", AUTO_PORT), document.get("file", "")
    if not isinstance(kind, str) or not isinstance(port, int) or isinstance(port, bool) or not isinstance(file, str):
        raise ValidationError("读卡器设置文件已损坏，请重新设置读卡器")
    return check_config(ReaderConfig(kind, port, file))


def save_config(data_dir: Path, config: ReaderConfig) -> None:
    check_config(config)
    text = json.dumps({"kind": config.kind, "port": config.port, "file": config.file}, ensure_ascii=False)
    write_bytes_atomically(config_path(data_dir), text.encode("utf-8"))


def make_reader(config: ReaderConfig) -> CardReader | None:
    """The reader the setting names (not opened yet), or None for no reader."""
    if config.kind == "simulated":
        from app.services.idcard.simulated import SimulatedReader

        return SimulatedReader(Path(config.file))
    if config.kind == "termb":
        from app.services.idcard.termb import TermbReader

        return TermbReader(config.port)
    if config.kind == "sdtapi":
        from app.services.idcard.sdtapi import SdtapiReader

        return SdtapiReader(config.port)
    return None
