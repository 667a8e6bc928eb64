"""ready answers in every language: a child table canned_reply_texts (reply_id, lang,
title, text) takes the English and Spanish columns' data, the columns go; the seeded
ready answers get their Chinese (Simplified and Traditional), Vietnamese, Tagalog and
Korean texts

Revision ID: f6a7b8c9d0e1
Revises: e1f7a3c9d5b2
Create Date: 2026-12-02 13:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "f6a7b8c9d0e1"
down_revision = "e1f7a3c9d5b2"
branch_labels = None
depends_on = None

# The seeded replies (8d1e5a7c3b20), by their English title, in the five new languages.
# Added only to a reply whose English title is still the seeded one. Wording from the
# translators' glossaries (record, registry, shot, provider, parent or guardian).
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "Ask for a clearer document": {
        "zh_Hans": (
            "要求提供更清晰的文件",
            "我们无法看清您发送的文件。请重新发送一张更清晰的整页照片或扫描件，"
            "让姓名和日期清楚易读。",
        ),
        "zh_Hant": (
            "要求提供更清晰的文件",
            "我們無法看清您寄來的文件。請再寄一張更清晰的整頁照片或掃描檔，讓姓名和日期清楚易讀。",
        ),
        "vi": (
            "Xin giấy tờ rõ hơn",
            "Chúng tôi không đọc được giấy tờ quý vị đã gửi. Xin quý vị gửi lại ảnh chụp "
            "hoặc bản quét rõ hơn của cả trang, để tên và ngày tháng dễ đọc.",
        ),
        "tl": (
            "Humingi ng mas malinaw na dokumento",
            "Hindi namin mabasa ang dokumentong ipinadala ninyo. Pakipadala ang mas malinaw "
            "na litrato o scan ng buong pahina, kung saan madaling mabasa ang mga pangalan "
            "at petsa.",
        ),
        "ko": (
            "더 선명한 서류 요청",
            "보내 주신 서류를 읽을 수 없었습니다. 이름과 날짜가 잘 보이도록 페이지 전체를 "
            "더 선명하게 찍은 사진이나 스캔본을 보내 주세요.",
        ),
    },
    "Ask for proof of parenthood": {
        "zh_Hans": (
            "要求提供父母身份证明",
            "请发送一份文件，证明您是孩子的父母或法定监护人，例如出生证明或法院命令。",
        ),
        "zh_Hant": (
            "要求提供家長身分證明",
            "請寄來一份文件，證明您是孩子的家長或法定監護人，例如出生證明或法院命令。",
        ),
        "vi": (
            "Xin bằng chứng là cha mẹ",
            "Xin quý vị gửi một giấy tờ cho thấy quý vị là cha mẹ hoặc người giám hộ hợp "
            "pháp của trẻ, chẳng hạn như giấy khai sinh hoặc án lệnh của tòa.",
        ),
        "tl": (
            "Humingi ng patunay ng pagiging magulang",
            "Pakipadala ang isang dokumentong nagpapakitang kayo ang magulang o legal "
            "guardian ng bata, gaya ng birth certificate o utos ng korte.",
        ),
        "ko": (
            "부모임을 증명하는 서류 요청",
            "출생증명서나 법원 명령서처럼, 자녀의 부모 또는 법적 보호자임을 보여 주는 "
            "서류를 보내 주세요.",
        ),
    },
    "Ask for the provider's record": {
        "zh_Hans": (
            "要求提供医疗服务提供者的记录",
            "请发送接种这剂疫苗的诊所开具的疫苗接种记录副本，上面要能看到疫苗名称和接种日期。",
        ),
        "zh_Hant": (
            "要求提供醫療服務提供者的紀錄",
            "請寄來施打這劑疫苗的診所開立的接種紀錄影本，上面要看得到疫苗名稱和接種日期。",
        ),
        "vi": (
            "Xin hồ sơ của cơ sở y tế",
            "Xin quý vị gửi bản sao hồ sơ tiêm chủng của phòng khám hoặc cơ sở y tế đã tiêm "
            "liều đó, có ghi rõ tên vắc-xin và ngày tiêm.",
        ),
        "tl": (
            "Humingi ng rekord mula sa provider",
            "Pakipadala ang kopya ng rekord ng bakuna mula sa opisina ng doktor o klinikang "
            "nagbigay ng dosis, kung saan makikita ang bakuna at ang petsa kung kailan ito "
            "ibinigay.",
        ),
        "ko": (
            "의료 제공자의 기록 요청",
            "해당 접종을 한 병원이나 진료소의 접종 기록 사본을 보내 주세요. 백신 이름과 "
            "접종 날짜가 보여야 합니다.",
        ),
    },
    "No matching record": {
        "zh_Hans": (
            "没有相符的记录",
            "我们在登记系统中找不到与您提供的资料相符的记录。请核对孩子的全名和出生日期，"
            "或请诊所把疫苗接种情况报告给登记系统。",
        ),
        "zh_Hant": (
            "沒有相符的紀錄",
            "我們在登記系統中找不到與您提供的資料相符的紀錄。請核對孩子的全名和出生日期，"
            "或請診所將疫苗接種通報給登記系統。",
        ),
        "vi": (
            "Không có hồ sơ trùng khớp",
            "Chúng tôi không tìm thấy hồ sơ nào trong hệ thống đăng ký khớp với thông tin "
            "quý vị cung cấp. Xin quý vị kiểm tra lại họ tên đầy đủ và ngày sinh của trẻ, "
            "hoặc nhờ phòng khám báo cáo các mũi tiêm cho hệ thống đăng ký.",
        ),
        "tl": (
            "Walang katugmang rekord",
            "Wala kaming nakitang rekord sa registry na tugma sa mga detalyeng ibinigay "
            "ninyo. Pakisuri ang buong pangalan at petsa ng kapanganakan ng bata, o hilingin "
            "sa opisina ng doktor na iulat ang mga bakuna sa registry.",
        ),
        "ko": (
            "일치하는 기록 없음",
            "알려 주신 정보와 일치하는 기록을 등록부에서 찾을 수 없었습니다. 자녀의 성명과 "
            "생년월일을 확인해 주시거나, 병원에 접종 내역을 등록부에 보고해 달라고 "
            "요청해 주세요.",
        ),
    },
    "The record is already correct": {
        "zh_Hans": (
            "记录已经正确",
            "我们已将这份记录与医疗服务提供者的报告核对过，记录正确无误，所以没有更改。",
        ),
        "zh_Hant": (
            "紀錄已經正確",
            "我們已將這份紀錄與醫療服務提供者的報告核對過，紀錄正確無誤，所以沒有更改。",
        ),
        "vi": (
            "Hồ sơ đã đúng",
            "Chúng tôi đã đối chiếu hồ sơ với báo cáo của cơ sở y tế và hồ sơ đã đúng, "
            "nên chúng tôi không thay đổi.",
        ),
        "tl": (
            "Tama na ang rekord",
            "Inihambing namin ang rekord sa ulat ng provider at tama ito, kaya hindi namin "
            "ito binago.",
        ),
        "ko": (
            "기록이 이미 정확함",
            "의료 제공자의 보고 내용과 기록을 대조해 보았으며, 기록이 정확하여 변경하지 "
            "않았습니다.",
        ),
    },
}

_replies = sa.table(
    "canned_replies",
    sa.column("id", sa.Integer()),
    sa.column("title_en", sa.String()),
    sa.column("title_es", sa.String()),
    sa.column("text_en", sa.String()),
    sa.column("text_es", sa.String()),
)
_texts = sa.table(
    "canned_reply_texts",
    sa.column("reply_id", sa.Integer()),
    sa.column("lang", sa.String()),
    sa.column("title", sa.String()),
    sa.column("text", sa.String()),
)


def upgrade() -> None:
    # Read first, then drop the columns (SQLite rebuilds the table) before anything
    # refers to it, then create the child table and fill it.
    bind = op.get_bind()
    old = bind.execute(
        sa.select(
            _replies.c.id,
            _replies.c.title_en,
            _replies.c.title_es,
            _replies.c.text_en,
            _replies.c.text_es,
        )  # fmt: skip
    ).all()
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        for name in ("title_en", "title_es", "text_en", "text_es"):
            batch_op.drop_column(name)
    op.create_table(
        "canned_reply_texts",
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["canned_replies.id"],
            name=op.f("fk_canned_reply_texts_reply_id_canned_replies"),
        ),
        sa.PrimaryKeyConstraint("reply_id", "lang", name=op.f("pk_canned_reply_texts")),
    )  # fmt: skip
    rows = []
    for reply_id, title_en, title_es, text_en, text_es in old:
        rows.append({"reply_id": reply_id, "lang": "en", "title": title_en, "text": text_en})
        if title_es and text_es:
            rows.append({"reply_id": reply_id, "lang": "es", "title": title_es, "text": text_es})
        for lang, (title, text) in TRANSLATIONS.get(title_en, {}).items():
            rows.append({"reply_id": reply_id, "lang": lang, "title": title, "text": text})
    if rows:
        op.bulk_insert(_texts, rows)


def downgrade() -> None:
    """Back to the English and Spanish columns; a reply without Spanish gets the English
    there (the old schema required both). The other languages' texts are lost."""
    bind = op.get_bind()
    wording: dict[int, dict[str, tuple[str, str]]] = {}
    for reply_id, lang, title, text in bind.execute(
        sa.select(_texts.c.reply_id, _texts.c.lang, _texts.c.title, _texts.c.text).where(
            _texts.c.lang.in_(("en", "es"))
        )
    ):
        wording.setdefault(reply_id, {})[lang] = (title, text)
    op.drop_table("canned_reply_texts")
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_en", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("title_es", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("text_en", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("text_es", sa.String(length=1000), nullable=True))
    for reply_id, by_lang in wording.items():
        title_en, text_en = by_lang.get("en") or by_lang["es"]
        title_es, text_es = by_lang.get("es", (title_en, text_en))
        bind.execute(
            _replies.update()
            .where(_replies.c.id == reply_id)
            .values(title_en=title_en, text_en=text_en, title_es=title_es, text_es=text_es)
        )
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        for name in ("title_en", "title_es"):
            batch_op.alter_column(name, existing_type=sa.String(length=80), nullable=False)
        for name in ("text_en", "text_es"):
            batch_op.alter_column(name, existing_type=sa.String(length=1000), nullable=False)
