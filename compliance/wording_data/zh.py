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
        "派人上门", "让你好看", "后果自负", "收拾你", "弄死你", "杀了你", "砍死你", "走着瞧",
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
    Phrase(FALSE_AUTHORITY, r"(?:我们是|我是|这里是)[^，。]{0,4}(?:征信中心|人民银行|公安|法院|政府|警察|警方|检察|银保监|金融监管|仲裁|司法)", regex=True),
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
    Phrase(ACTION_NOT_INTENDED, r"冻结[^，。]{0,4}(?:账户|银行卡|工资|房产|微信|支付宝|财产|存款|资金|名下|社保|公积金|资产)", regex=True, lawful_if=JUDGMENT_EXISTS),
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
    # More verbs (联络 is the Traditional-text usage) and more people; a spouse (配偶, 老婆, 老公) is
    # deliberately absent.
    *_many(EXPOSURE, [f"{verb}{you}{of}{whom}"
                      for verb in ("联络", "打电话给", "打给", "去找", "上门找", "通知", "联系", "告诉", "找")
                      for you in ("你", "您") for of in ("", "的")
                      for whom in ("妈", "爸", "妈妈", "爸爸", "爸妈", "孩子的学校", "孩子学校", "孩子的老师", "邻居", "兄弟",
                                   "姐妹", "哥哥", "姐姐", "弟弟", "妹妹", "房东", "所有联系人", "联系人", "紧急联系人",
                                   "子女", "孩子", "儿子", "女儿")
                      if not (verb in ("通知", "联系", "告诉", "找") and whom in ("联系人",))]),
    *_many(EXPOSURE, [f"{verb}{you}{of}{whom}" for verb in ("联络", "打电话给", "打给", "去找", "上门找")
                      for you in ("你", "您") for of in ("", "的")
                      for whom in ("单位", "领导", "老板", "公司", "同事", "家人", "亲友", "朋友", "父母", "亲戚")]),
    *_many(EXPOSURE, [f"向{you}{of}{whom}{act}" for you in ("你", "您") for of in ("", "的")
                      for whom in ("单位", "领导", "老板", "公司", "同事", "家人", "父母", "亲友")
                      for act in ("反映", "透露", "告知", "通报", "催收", "催款", "说明情况")]),
    *_many(EXPOSURE, [f"{whom}{all_}知道" for whom in ("同事", "家人", "朋友", "邻居", "领导", "亲戚", "父母", "全村")
                      for all_ in ("都会", "都将", "全都", "都")]),
    *_many(EXPOSURE, [f"让{you}{of}{whom}知道" for you in ("你", "您") for of in ("", "的")
                      for whom in ("同事", "家人", "朋友", "邻居", "领导", "亲戚", "父母", "老板", "单位")]),
    *_many(EXPOSURE, [f"让{you}{of}{whom}都知道" for you in ("你", "您") for of in ("", "的")
                      for whom in ("同事", "家人", "朋友", "邻居", "领导", "亲戚", "父母", "老板", "单位")]),
    *_many(EXPOSURE, [
        "爆你通讯录", "爆你的通讯录", "爆您通讯录", "爆您的通讯录", "通讯录轰炸", "轰炸通讯录", "轰炸你的通讯录",
        "所有联系人", "家族群", "发到群里", "发群里", "同学群", "发抖音", "发微博", "发快手", "村委会", "居委会",
        "照片贴", "贴到小区", "贴在小区", "贴到你家", "贴在你家", "贴你照片", "全村人",
    ]),
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
    Phrase(PRESSURE_TO_BORROW, r"(?:今天|今晚|马上|立刻|立即|小时内)[^，。]{0,6}(?:全额|全部|一次性)(?:还清|结清|还款)", regex=True),
    # Misleading contact bait.
    *_many(CONTACT_BAIT, ["冒充快递", "快递无法", "快递待领取", "快递待签收", "快递理赔", "快递丢失", "快递异常", "包裹无法派送", "中奖", "领取奖品"]),
]

# Further forms found by probing realistic collector messages (slang, Traditional usage).
PHRASES += [
    *_many(VIOLENCE, [
        "给你点颜色", "果子吃", "吃不了兜着走", "教训你", "教训一下你", "出了事别怪", "别怪我们", "别怪我不客气",
        "对你不客气", "对您不客气", "不客气了", "后果很严重", "后果不堪设想", "短信轰炸", "电话轰炸", "轰炸你",
        "揍你", "砍你", "废了你", "卸你", "剁了你", "烧你家", "泼粪", "找人弄你", "找人收拾", "找人教训",
        "跑不掉", "等着瞧", "你小心点", "小心点你",
    ], negatable=False),
    # A denial ("我们不会去你家", "我们从不上门找你") is benign.
    *_many(VIOLENCE, ["去你家", "到你家找", "上门找", "知道你住哪", "知道你住在哪", "知道你家在哪", "你家住哪"]),
    *_many(OBSCENE, [
        "无赖", "穷鬼", "白痴", "脑残", "蠢货", "蠢猪", "猪脑子", "猪狗不如", "丢人现眼", "贱骨头", "下三滥", "狗娘养",
        "杂种", "婊子", "傻x", "傻叉", "煞笔", "狗日的", "龟孙", "混账", "赖皮",
    ], negatable=False),
    *_many(FALSE_AUTHORITY, [
        "警察局", "民警", "警官", "公安机关已", "公安机关介入", "公安已介入", "警方已介入", "介入此案", "法院的工作人员", "执行法官", "法警", "仲裁委员会",
    ]),
    *_many(FALSE_ARREST, [
        "构成诈骗", "构成犯罪", "于犯罪", "已报警", "报警了", "进监狱", "蹲监狱", "吃牢饭",
        "牢饭", "坐大牢", "把你带走", "带走你", "网上追逃", "追逃", "通缉", "移交公安", "移送公安", "交给公安",
        "报给公安", "恶意逃废债", "逃废债", "恶意逃债", "刑事立案", "立案侦查", "你这是犯法", "你已经犯法", "你犯法了",
        "于犯法", "是犯法的", "警察上门", "警察会上门", "警察会来", "警察会找", "警察找你", "警察抓", "刑拘",
    ]),
    *_many(ACTION_NOT_INTENDED, [
        "将依法提起诉讼", "将提起诉讼", "准备起诉", "将起诉", "会起诉", "正式起诉", "起诉到法院", "告到法院",
        "法院告你", "去法院告", "上法庭", "走法律程序", "法律程序处理", "移交法务", "转交法务", "移交律师",
        "转交律师", "开庭", "仲裁你", "对你提起仲裁", "对你申请仲裁",
        "对您申请仲裁", "将申请仲裁",
    ], lawful_if=SUIT_AUTHORIZED),
    *_many(ACTION_NOT_INTENDED, [
        "扣你工资", "扣您工资", "扣工资", "扣押工资", "强制划扣", "拍卖", "收走你的", "收房", "禁止乘坐",
        "纳入失信", "失信名单", "上失信",
    ], lawful_if=JUDGMENT_EXISTS),
    # The negation is part of the threat here ("你以后不能坐飞机").
    *_many(ACTION_NOT_INTENDED, ["不能坐飞机", "坐不了飞机", "不能坐高铁", "坐不了高铁"],
           lawful_if=JUDGMENT_EXISTS, negatable=False),
    *_many(ACTION_NOT_INTENDED, [
        "注销你的身份证", "注销身份证", "身份证注销", "冻结身份证", "身份证冻结", "政审", "考公", "影响你孩子",
        "影响孩子上学", "影响子女上学",
    ]),
    *_many(MISSTATED_AMOUNT, [
        "翻倍", "翻番", "翻三倍", "翻两倍", "翻几倍", "每天罚款", "每天罚", "每天额外", "利滚利", "一辈子", "这辈子",
        "永久不良", "终身不良", "别想贷款", "别想借钱",
    ]),
    *_many(PRESSURE_TO_BORROW, [
        "撸口子", "去套现", "套现来还", "套现给", "花呗套现", "借呗套现", "花呗还", "借呗还", "开通借呗", "开通花呗", "高利贷", "征信修复",
        "替你还", "替您还", "让家人还", "让你家人还", "让你父母还", "把车卖了", "把房子卖了", "把房卖了", "卖肾",
        *(f"{prep}{who}借" for prep in ("找", "向", "跟", "问") for who in ("亲戚", "家人", "朋友", "亲友", "父母", "同事", "同学", "身边的人")),
    ]),
    *_many(CONTACT_BAIT, [
        "包裹待签收", "包裹待领取", "派送失败", "获得补贴", "领取补贴",
        "恭喜您获得", "恭喜你获得",
    ]),
]

DEBT_WORDS = r"欠款|欠债|债务|逾期|催收|还款|欠钱|贷款|账单|欠费|借款"

# Words that, just before a phrase, turn it into a denial or a warning about scams.
NEGATIONS = ("不会", "绝不", "并不", "不是", "并非", "没有", "不得", "不能", "无权", "冒充", "谨防", "警惕", "假冒", "切勿相信",
             "请勿", "切勿", "不要", "无需", "不必", "自称", "声称",
             # Reassurances: "不存在拘留的情况", "我们从不上门", "法律禁止我们联系您的单位", "不用担心被起诉".
             "不存在", "从不", "从未", "绝对不", "决不", "禁止", "不用", "无须")

# An A-not-A question ("要不要我们通知你的家人？", "是不是想坐牢"): its 不 or 没 asks, it does not deny.
A_NOT_A = "不没"

# A negation that doubts a denial makes it a threat ("别以为不会坐牢", "你不会以为我们不会起诉你吧").
DOUBTING = ("以为", "认为", "觉得", "想着", "指望")

# After a phrase: it names the threat someone else makes ("如有人以坐牢相威胁，请报警").
REPORTED_AFTER = ("相威胁", "相要挟", "相恐吓", "来威胁", "来恐吓", "来吓唬")

# Before a phrase, in a sentence that warns about scams: someone else's words
# ("冒充公安的电话说您会被拘留，请勿相信").
REPORTING = ("说", "称", "扬言", "威胁")
SCAM_WORDS = ("冒充", "假冒", "诈骗", "骗子", "不法分子", "请勿相信", "切勿相信", "谨防", "不要相信")
