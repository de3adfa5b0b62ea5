"""CN.NOTICE (信用卡业务监督管理办法 第六十九条): the collection letter, read back from the PDF."""

import pytest

from notices.kinds import CN_NOTICE_ITEMS

from .conftest import cjk_flat

# Each item of CN.NOTICE and the words that carry it.
EXPECTED = {
    "name_and_balance": ["尊敬的张伟：", "姓名张伟", "截至2026年11月24日欠款金额¥8,600.00"],
    "reason_and_legal_basis": ["二、催收原因及法律依据", "您至今未按约定足额还款", "《中华人民共和国民法典》第六百七十五条"],
    "rights_and_duties": ["三、您的权利和义务", "您的义务：", "您的权利：", "有权对欠款提出异议"],
    "how_to_check_repay_object": ["四、查询账户、还款及提出异议的方式", "查询：", "还款：", "异议："],
    "contact": ["五、联系方式", "顿维尔信息服务有限公司电话：400-800-0000"],
    "seal": ["★顿维尔信息服务有限公司", "顿维尔信息服务有限公司（盖章）"],
}


def test_every_cn_notice_item_has_an_expectation():
    assert set(EXPECTED) == set(CN_NOTICE_ITEMS)


@pytest.mark.parametrize("item", CN_NOTICE_ITEMS)
def test_cn_notice_content(rendered_letter, item):
    _, _, _, text = rendered_letter("CN", "cn_collection_letter")
    shown = cjk_flat(text)
    missing = [words for words in EXPECTED[item] if cjk_flat(words) not in shown]
    assert not missing, f"CN.NOTICE {item}: not in the PDF: {missing}"


def test_cn_letter_pdf_has_the_chinese_it_was_rendered_from(rendered_letter):
    context, notice, _, text = rendered_letter("CN", "cn_collection_letter")
    shown = cjk_flat(text)
    for words in ("张伟", "欠款金额", "催收函", "上海市南京西路1266号", "上海浦江消费金融有限公司", "2026年8月1日", "¥8,600.00"):
        assert words in shown
    # Every line of the letter's own text survives the PDF (fonts embedded, nothing dropped).
    for line in notice.plain_text.splitlines():
        assert cjk_flat(line) in shown


def test_cn_letter_is_a4(rendered_letter):
    import io

    from pypdf import PdfReader

    _, _, pdf, _ = rendered_letter("CN", "cn_collection_letter")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_cn_letter_english_version_keeps_the_chinese_seal(rendered_letter):
    _, _, _, text = rendered_letter("CN", "cn_collection_letter", language="en")
    assert "Balance owed on November 24, 2026 ¥8,600.00" in " ".join(text.split())
    assert "顿维尔信息服务有限公司（盖章）" in cjk_flat(text)
