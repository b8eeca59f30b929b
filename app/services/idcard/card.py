"""A read ID card, and what of it may reach a form (`CardFill`) once the project's own rules passed it.

A card's chip is signed by the issuing authority, yet the values still pass the same rules as typed input
(check digit, lengths, invisible characters): a reader's driver can hand back garbage, the simulator reads
a file anyone can write, and a form must never hold what it would refuse from the keyboard. The photo is
kept in memory only, on the card object, for the clerk to compare the face; nothing here writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.clock import local_today
from app.services import field_rules as rules
from app.services.errors import ValidationError
from app.services.id_numbers import ID_TYPES, birth_date, check_id_number

# GB/T 2261.1 sex codes as the chip stores them
SEXES = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
# GB/T 3304 nation codes as the chip stores them (the card prints the name without 族)
NATIONS = dict(enumerate((
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
    "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
), start=1))
NATIONS.update({97: "其他", 98: "外国血统中国籍人士"})
PHOTO_MAX_BYTES = 200_000  # a chip photo decodes to a 102×126 BMP of 38,862 bytes; PNGs of it are smaller
AUTHORITY = rules.FieldRule("签发机关", 60)
VALIDITY = "长期"


def nation_name(code: str) -> str:
    """The card's nation code as the card prints it; an unknown code stays visible as a code."""
    text = code.strip()
    if text.isdigit() and int(text) in NATIONS:
        return NATIONS[int(text)]
    return text


def id_type_of(number: str) -> str:
    """Which certificate the number belongs to: readers also read 港澳台居民居住证 and the 2023 永居证."""
    if number[:6] in {"810000", "820000", "830000"}:
        return "hmt_residence"
    if number.startswith("9"):
        return "foreign_permanent"
    return "resident"


@dataclass(frozen=True)
class IdCard:
    """What a reader returned, as text, before any check. `photo` is BMP or PNG bytes, or empty."""

    name: str
    sex: str = ""
    nation: str = ""
    birth: str = ""  # YYYYMMDD
    address: str = ""
    id_number: str = ""
    authority: str = ""
    valid_from: str = ""  # YYYYMMDD
    valid_to: str = ""  # YYYYMMDD or 长期
    photo: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class CardFill:
    """A card that passed every rule: what the applicant (or agent) fields receive, and what the clerk sees."""

    name: str
    id_type: str
    id_number: str
    address: str
    birth: date
    sex: str
    nation: str
    authority: str
    validity: str  # 2015.06.01-2035.06.01 or 2015.06.01-长期
    expired: bool
    photo: bytes = field(default=b"", repr=False)

    @property
    def id_type_label(self) -> str:
        return ID_TYPES[self.id_type]

    def form_lines(self) -> list[tuple[str, str]]:
        """What the F6 form receives, labelled as on the form (the CLI prints exactly these)."""
        return [("申请人", self.name), ("证件类型", self.id_type_label), ("证件号码", self.id_number),
                ("地址", self.address)]

    def card_lines(self) -> list[tuple[str, str]]:
        """What the card says besides, for the clerk's comparison only (nothing of it is stored)."""
        return [("性别", self.sex), ("民族", self.nation), ("出生日期", f"{self.birth:%Y年%m月%d日}"),
                ("签发机关", self.authority), ("有效期限", self.validity + ("（已过期）" if self.expired else "")),
                ("照片", "有（仅显示，不保存）" if self.photo else "无")]


def _yyyymmdd(text: str, label: str) -> date:
    value = text.strip()
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValidationError(f"证件中的{label}“{value[:16]}”不是有效日期（应为YYYYMMDD）") from None


def _dotted(day: date) -> str:
    return f"{day:%Y.%m.%d}"


def check_card(card: IdCard, today: date | None = None) -> CardFill:
    """The card as the form receives it, or ValidationError with every reason (nothing is filled then)."""
    today = today or local_today()
    errors: list[str] = []
    number = card.id_number.strip().upper()
    id_type = id_type_of(number)
    number_problem = rules.ID_NUMBER.check(number) or check_id_number(number, id_type, today)
    if number_problem:
        errors.append(number_problem)
    for rule, value in ((rules.APPLICANT_NAME.with_label("证件姓名"), card.name),
                        (rules.APPLICANT_ADDRESS.with_label("证件住址"), card.address),
                        (AUTHORITY, card.authority)):
        problem = rule.check(value, required=rule is not AUTHORITY)
        if problem:
            errors.append(problem)
    born: date | None = None
    try:
        born = _yyyymmdd(card.birth, "出生日期")
    except ValidationError as exc:
        errors.append(exc.message)
    if born is not None and number_problem is None and birth_date(number) != born:
        errors.append(f"证件中的出生日期（{born:%Y年%m月%d日}）与证件号码不符")
    validity, expired = _validity(card, today, errors)
    if errors or born is None:
        raise ValidationError("身份证信息未通过校验，未填入任何内容", errors)
    return CardFill(name=card.name.strip(), id_type=id_type, id_number=number, address=card.address.strip(),
                    birth=born, sex=SEXES.get(card.sex.strip(), card.sex.strip()), nation=nation_name(card.nation),
                    authority=card.authority.strip(), validity=validity, expired=expired,
                    photo=card.photo if len(card.photo) <= PHOTO_MAX_BYTES else b"")


def _validity(card: IdCard, today: date, errors: list[str]) -> tuple[str, bool]:
    """The validity as the card prints it, and whether it ended before today (shown, not refused: the
    clerk decides whether an expired card will do, as at any counter)."""
    if not card.valid_from.strip() and not card.valid_to.strip():
        return "", False
    try:
        start = _yyyymmdd(card.valid_from, "有效期起始日期")
        end_text = card.valid_to.strip()
        if end_text == VALIDITY:
            return f"{_dotted(start)}-{VALIDITY}", False
        end = _yyyymmdd(end_text, "有效期截止日期")
    except ValidationError as exc:
        errors.append(exc.message)
        return "", False
    return f"{_dotted(start)}-{_dotted(end)}", end < today
