"""The ID card reader's core: the chip's text parsed, every value checked by the project's rules, the vendor
libraries driven through fakes (success, no card, timeout, garbage), the simulator and the local setting."""

from __future__ import annotations

import base64
import time
from datetime import date
from pathlib import Path

import pytest

from app.services.errors import ValidationError
from app.services.idcard.buffer import BASE_TEXT_BYTES, build_base_message, parse_base_message
from app.services.idcard.card import check_card
from app.services.idcard.config import ReaderConfig, load_config, make_reader, save_config
from app.services.idcard.reader import ReaderError, ReaderSession, Tick
from app.services.idcard.sdtapi import SdtapiReader, bmp_from_bgr
from app.services.idcard.simulated import SimulatedReader, load_card_file
from app.services.idcard.termb import TermbReader
from app.services.idcard.watcher import CardWatcher
from tests.idcard_helpers import APPLICANT_ID, FakeSdtapi, FakeTermb, card, loader_of, tiny_bmp, write_card_file

TODAY = date(2026, 5, 6)


def test_the_base_message_is_parsed_field_by_field_at_its_fixed_widths() -> None:
    raw = bytearray()
    for text, width in (("张三", 30), ("1", 2), ("01", 4), ("19900307", 16), ("吉林省镇赉县民主街1号", 70),
                        (APPLICANT_ID, 36), ("镇赉县公安局", 30), ("20150601", 16), ("20350601", 16), ("", 36)):
        encoded = text.encode("utf-16-le")
        raw += encoded + b"\x20\x00" * ((width - len(encoded)) // 2)
    assert len(raw) == BASE_TEXT_BYTES
    parsed = parse_base_message(bytes(raw))
    assert (parsed.name, parsed.sex, parsed.nation, parsed.birth) == ("张三", "1", "01", "19900307")
    assert (parsed.address, parsed.id_number, parsed.authority) == ("吉林省镇赉县民主街1号", APPLICANT_ID, "镇赉县公安局")
    assert (parsed.valid_from, parsed.valid_to) == ("20150601", "20350601")
    assert parse_base_message(build_base_message(card())) == card()
    with pytest.raises(ValidationError, match="不完整"):
        parse_base_message(bytes(raw[:200]))
    with pytest.raises(ValidationError, match="无法识别"):
        parse_base_message(b"\x00\xd8" + bytes(raw[2:]))  # a lone surrogate: not UCS-2 text


def test_a_good_card_becomes_what_the_form_receives() -> None:
    fill = check_card(card(), TODAY)
    assert fill.form_lines() == [("申请人", "张三"), ("证件类型", "居民身份证"), ("证件号码", APPLICANT_ID),
                                 ("地址", "吉林省白城市镇赉县镇赉镇民主街1号")]
    assert (fill.sex, fill.nation, fill.birth, fill.validity, fill.expired) == (
        "男", "汉", date(1990, 3, 7), "2015.06.01-2035.06.01", False)
    assert check_card(card(valid_to="20200601"), TODAY).expired
    assert check_card(card(valid_to="长期"), TODAY).validity == "2015.06.01-长期"
    assert check_card(card(id_number="810000199001010019", birth="19900101"), TODAY).id_type == "hmt_residence"


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"id_number": APPLICANT_ID[:-1] + "3"}, "校验位"),
    ({"birth": "19900308"}, "与证件号码不符"),
    ({"name": "张\u202e三"}, "不可见或控制字符"),
    ({"name": ""}, "请填写证件姓名"),
    ({"address": "长" * 121}, "证件住址不能超过120个字"),
    ({"valid_to": "2035-06"}, "有效期截止日期"),
])
def test_a_card_failing_a_rule_is_refused_with_its_reason(overrides: dict[str, str], reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_card(card(**overrides), TODAY)
    assert caught.value.message == "身份证信息未通过校验，未填入任何内容"
    assert any(reason in line for line in caught.value.errors), caught.value.errors


def test_termb_reads_text_and_photo_through_its_stdcall_functions(tmp_path: Path) -> None:
    photo = tiny_bmp()
    fake = FakeTermb(card(), photo=photo)
    reader = TermbReader(0, loader_of(termb=fake))
    reader.open()
    assert reader.port_in_use == 1001 and fake.calls[0] == "init 1001"
    assert reader.poll()
    read = reader.read()
    assert read == card(photo=photo) and read.photo == photo
    reader.close()
    assert fake.calls[-1] == "close"


def test_termb_without_a_card_with_failures_and_with_garbage() -> None:
    session = ReaderSession(TermbReader(0, loader_of(termb=FakeTermb(card(), auth=[2]))))
    assert session.tick() == Tick(ready=True)  # opened, no card: nothing to report
    assert session.tick() == Tick()
    broken = ReaderSession(TermbReader(0, loader_of(termb=FakeTermb(card(), read_code=0))))
    assert "读取身份证失败（华视读卡器返回 0）" in broken.tick().problem
    weird = ReaderSession(TermbReader(0, loader_of(termb=FakeTermb(card(), auth=[-7]))))
    assert "无法识别的结果（-7）" in weird.tick().problem
    assert weird.tick() == Tick()  # the same trouble is reported once, not on every poll
    garbage = ReaderSession(TermbReader(0, loader_of(termb=FakeTermb(card(), name_bytes=b"\xff\xfe\xff"))))
    assert "无法识别" in garbage.tick().refused[0]
    absent = ReaderSession(TermbReader(0, loader_of()))
    assert "termb.dll" in absent.tick().problem
    unplugged = TermbReader(1005, loader_of(termb=FakeTermb(card())))
    with pytest.raises(ReaderError, match="USB 1005"):
        unplugged.open()


def test_sdtapi_reads_the_base_message_and_maps_its_codes() -> None:
    fake = FakeSdtapi(card())
    session = ReaderSession(SdtapiReader(0, loader_of(sdtapi=fake)))
    tick = session.tick()
    assert tick.fill is not None and tick.fill.id_number == APPLICANT_ID and tick.fill.photo == b""  # no decoder
    assert fake.opened == [1001]
    assert ReaderSession(SdtapiReader(0, loader_of(sdtapi=FakeSdtapi(card(), find=[0x80])))).tick() == Tick(ready=True)
    timeout = ReaderSession(SdtapiReader(0, loader_of(sdtapi=FakeSdtapi(card(), read_code=0x02))))
    assert timeout.tick().problem == "读卡器响应超时：请检查读卡器连接后重新放卡"
    odd = ReaderSession(SdtapiReader(0, loader_of(sdtapi=FakeSdtapi(card(), find=[0x3C]))))
    assert "找卡时返回了无法识别的结果（0x3C）" in odd.tick().problem
    garbage = ReaderSession(SdtapiReader(0, loader_of(sdtapi=FakeSdtapi(card(), text=b"\x01" * 40))))
    assert "不完整" in garbage.tick().refused[0]


def test_a_wlt_photo_is_decoded_in_memory_when_the_decoder_is_there() -> None:
    class Dewlt:
        def unpack(self, wlt: bytes, rgb: object, save: int) -> int:
            return 1

    fake = FakeSdtapi(card())
    tick = ReaderSession(SdtapiReader(0, loader_of(sdtapi=fake, dewlt=Dewlt()))).tick()
    assert tick.fill is not None and tick.fill.photo.startswith(b"BM") and len(tick.fill.photo) == 54 + 308 * 126
    assert len(bmp_from_bgr(b"\x00" * 12, 2, 2)) == 54 + 8 * 2


def test_a_card_is_reported_once_while_it_stays_and_again_after_it_left() -> None:
    now = [100.0]
    fake = FakeSdtapi(card(), find=[0x9F, 0x9F, 0x80, 0x9F, 0x80, 0x80])
    session = ReaderSession(SdtapiReader(0, loader_of(sdtapi=fake)), clock=lambda: now[0])
    assert session.tick().fill is not None
    assert session.tick() == Tick()  # still there
    assert session.tick() == Tick(removed=True)
    now[0] += 0.3
    assert session.tick() == Tick()  # a reader that finds it only every other poll: not reported again
    session.tick()
    now[0] += 5
    fake.find = [0x9F]
    assert session.tick().fill is not None  # placed again later: read again


def test_a_hung_driver_is_reported_while_the_watcher_waits(tmp_path: Path) -> None:
    class Slow(SimulatedReader):
        def poll(self) -> bool:
            time.sleep(0.5)
            return False

    watcher = CardWatcher(Slow(tmp_path / "card.json"), lambda tick: None, interval=0.01, timeout=0.1)
    watcher.start()
    deadline = time.monotonic() + 3
    while not watcher.hung() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "读卡器无响应" in watcher.hung()
    watcher.stop()


def test_the_simulator_reads_a_json_card_with_its_photo(tmp_path: Path) -> None:
    photo = tmp_path / "zp.bmp"
    photo.write_bytes(tiny_bmp())
    path = write_card_file(tmp_path / "card.json", photo=photo)
    assert load_card_file(path).photo == tiny_bmp()
    path.write_text(path.read_text("utf-8").replace('"photo_file": "zp.bmp"', '"photo_base64": "'
                                                     + base64.b64encode(tiny_bmp()).decode() + '"'), "utf-8")
    assert load_card_file(path).photo == tiny_bmp()
    reader = SimulatedReader(tmp_path / "absent.json")
    reader.open()
    assert not reader.poll()


@pytest.mark.parametrize(("content", "reason"), [
    ("[1, 2]", "JSON 对象"),
    ("{\"name\": ", "不是有效的 JSON"),
    ("{\"name\": 5}", "应为不超过200字的文字"),
    ("{\"nick\": \"x\"}", "无法识别的项目：nick"),
    ("{\"photo_base64\": \"!!!\"}", "Base64"),
    ("{\"photo_base64\": \"" + base64.b64encode(b"GIF89a").decode() + "\"}", "PNG 或 BMP"),
    ("{\"name\": \"" + "长" * 200_000 + "\"}", "文件过大"),
])
def test_a_bad_card_file_is_refused_in_chinese(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "card.json"
    path.write_text(content, "utf-8")
    with pytest.raises(ValidationError, match=reason):
        load_card_file(path)


def test_the_reader_setting_is_local_and_checked(tmp_path: Path) -> None:
    assert load_config(tmp_path) == ReaderConfig()
    assert make_reader(ReaderConfig()) is None
    save_config(tmp_path, ReaderConfig("sdtapi", 1003))
    assert load_config(tmp_path) == ReaderConfig("sdtapi", 1003)
    assert isinstance(make_reader(load_config(tmp_path)), SdtapiReader)
    with pytest.raises(ValidationError, match="端口"):
        save_config(tmp_path, ReaderConfig("termb", 2000))
    with pytest.raises(ValidationError, match="身份证文件"):
        save_config(tmp_path, ReaderConfig("simulated"))
    (tmp_path / "idcard-reader.json").write_text("{\"kind\": 3}", "utf-8")
    with pytest.raises(ValidationError, match="损坏"):
        load_config(tmp_path)


def test_the_cli_prints_what_f6_would_receive_and_refuses_a_bad_card(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    good = write_card_file(tmp_path / "card.json")
    assert main(["idcard", "read", "--simulate", str(good)]) == 0
    out = capsys.readouterr().out
    assert "受理（F6）将填入：" in out and f"证件号码：{APPLICANT_ID}" in out and "申请人：张三" in out
    assert main(["idcard", "read", "--simulate", str(good), "--json"]) == 0
    assert f'"applicant_id_number": "{APPLICANT_ID}"' in capsys.readouterr().out
    bad = write_card_file(tmp_path / "bad.json", id_number=APPLICANT_ID[:-1] + "9")
    assert main(["idcard", "read", "--simulate", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "校验位不正确" in captured.err
    (tmp_path / "huge.json").write_bytes(b"{" + b" " * 500_000 + b"}")
    assert main(["idcard", "read", "--simulate", str(tmp_path / "huge.json")]) == 1
    assert "文件过大" in capsys.readouterr().err
    assert main(["idcard", "read", "--simulate", str(tmp_path / "absent.json")]) == 1
    assert "找不到文件" in capsys.readouterr().err
