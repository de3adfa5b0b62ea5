"""Chinese phrases by category, written in Simplified Chinese (text is converted t2s first)."""

from . import (
    ACTION_NOT_INTENDED, CONTACT_BAIT, EXPOSURE, FALSE_ARREST, FALSE_AUTHORITY, IS_ATTORNEY,
    JUDGMENT_EXISTS, MISSTATED_AMOUNT, OBSCENE, PRESSURE_TO_BORROW, SUIT_AUTHORIZED, VIOLENCE,
    Phrase,
)


def _many(category, texts, **kw):
    return [Phrase(category, t, **kw) for t in texts]


PHRASES = [
    # CN.PROHIBITED (Criminal Law Art. 293-1; CBA guideline §5): violence, coercion, intimidation.
    *_many(VIOLENCE, [
        "派人上门", "上门找你", "让你好看", "后果自负", "收拾你", "弄死你", "杀了你", "砍死你", "走着瞧",
        "不会放过你", "你给我等着", "堵你", "泼油漆", "你家人的安全", "出门小心", "去你家找你",
        "到你家门口", "去你家门口", "别想安生", "不得安宁", "小心你的家人", "小心你家人", "哪个学校",
        "采取一切手段", "不择手段",
    ], negatable=False),
    Phrase(VIOLENCE, r"打断[^，。！？,.!?]{0,3}腿", regex=True, negatable=False),
    # Insults (辱骂).  老赖 is an insult when said to the debtor.
    *_many(OBSCENE, [
        "老赖", "混蛋", "王八蛋", "傻逼", "傻b", "贱人", "废物", "不要脸", "人渣", "他妈的", "妈的",
        "操你", "狗东西", "死全家", "畜生", "滚蛋", "给我滚", "去死",
    ], negatable=False),
    Phrase(OBSCENE, r"垃圾(?!短信|邮件|分类|桶|箱|电话|信息)", regex=True, negatable=False),
    Phrase(OBSCENE, "骗子", negatable=False, not_after=("谨防", "小心", "警惕", "防范", "冒充")),
    # Impersonating authorities.
    *_many(FALSE_AUTHORITY, [
        "公安局", "经侦", "法院传票", "逮捕令", "立案通知", "检察院", "网警", "刑警", "派出所",
        "司法机关", "法官", "执行局", "法院工作人员",
    ]),
    Phrase(FALSE_AUTHORITY, r"我们是[^，。]{0,4}(?:征信中心|人民银行|公安|法院|政府)", regex=True),
    *_many(FALSE_AUTHORITY, ["律师函", "我是律师", "律师事务所"], lawful_if=IS_ATTORNEY),
    # False accusation of crime, threat of detention.
    *_many(FALSE_ARREST, [
        "诈骗罪", "恶意透支", "拘留", "抓捕", "坐牢", "判刑", "刑事责任", "刑事案件", "逮捕", "涉嫌犯罪",
        "信用卡诈骗", "抓你", "抓人", "涉嫌诈骗", "会报警", "去报警", "向公安报案",
    ]),
    # Exaggerated legal consequences: lawful only when true (suit authorised / judgment).
    *_many(ACTION_NOT_INTENDED, ["起诉你", "起诉您", "对你提起诉讼", "对您提起诉讼", "把你告上法庭", "被起诉"],
           lawful_if=SUIT_AUTHORIZED),
    *_many(ACTION_NOT_INTENDED, [
        "强制执行", "冻结资产", "限制出境", "列入失信", "失信被执行人", "限制高消费", "查封", "扣押",
        "将被冻结", "全部冻结",
    ], lawful_if=JUDGMENT_EXISTS),
    Phrase(ACTION_NOT_INTENDED, r"冻结[^，。]{0,4}(?:账户|银行卡|工资|房产)", regex=True, lawful_if=JUDGMENT_EXISTS),
    *_many(ACTION_NOT_INTENDED, ["影响子女", "子女不能上学", "丢工作", "开除你"]),
    # Exposure to contacts, employer, family; shaming.
    *_many(EXPOSURE, [
        "爆通讯录", "找你老板", "找你领导", "找你单位", "去你单位", "找你家人", "通知你家人", "告诉你家人",
        "曝光", "拉横幅", "社死", "发朋友圈", "挂网上", "公开你的", "大字报", "让所有人知道", "亲友都会知道",
        "通讯录里的人", "挨个打电话", "发到你的朋友圈", "发到朋友圈", "公司群", "同事都知道",
    ]),
    Phrase(EXPOSURE, r"(?:打遍|打给|联系|通知)你的?通讯录", regex=True),
    # Telling the debtor's employer, family or friends, each form spelt out (literal phrases
    # share the one trie; a pattern would be one more pass over every message).
    *_many(EXPOSURE, [f"{verb}{you}{of}{whom}" for verb in ("通知", "联系", "告诉", "找") for you in ("你", "您")
                      for of in ("", "的") for whom in ("单位", "领导", "老板", "公司", "同事", "家人", "亲友", "朋友",
                                                        "父母", "亲戚")]),
    *_many(EXPOSURE, ["让大家都知道", "让身边的人都知道"]),
    # Fictitious blacklists and exaggerated amounts.
    *_many(MISSTATED_AMOUNT, [
        "黑名单", "金额翻倍", "利息翻倍", "一辈子贷不了款", "终身无法贷款", "夸大金额",
        "欠款已经翻倍", "每天加收", "每天再加收", "永久拉黑", "征信拉黑", "征信黑户",
    ]),
    # Pressure to borrow or pay extra fees.
    *_many(PRESSURE_TO_BORROW, [
        "以贷养贷", "借新还旧", "额外手续费", "办网贷", "借网贷", "卖房还", "卖车还", "加收手续费", "停催费",
        "亲戚朋友借", "向亲友借", "找朋友借钱", "网贷app",
    ]),
    Phrase(PRESSURE_TO_BORROW, r"(?:去|找)[^，。]{0,4}借(?:钱|款)?(?:来)?还", regex=True),
    Phrase(PRESSURE_TO_BORROW, r"(?:今天|今晚|马上|立刻|一小时内)[^，。]{0,6}(?:全额|全部|一次性)(?:还清|结清|还款)", regex=True),
    # Misleading contact bait.
    *_many(CONTACT_BAIT, ["冒充快递", "您的快递", "快递异常", "包裹无法派送", "中奖", "领取奖品"]),
]

DEBT_WORDS = r"欠款|欠债|债务|逾期|催收|还款|欠钱|贷款|账单|欠费|借款"

# Words that, just before a phrase, turn it into a denial or a warning about scams.
NEGATIONS = ("不会", "绝不", "并不", "不是", "并非", "没有", "不得", "不能", "无权", "冒充", "谨防", "警惕", "假冒", "切勿相信")
