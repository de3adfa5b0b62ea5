"""English phrases by category.  A space matches any run of spacing or punctuation."""

from . import (
    ACTION_NOT_INTENDED, CONTACT_BAIT, EXPOSURE, FALSE_ARREST, FALSE_AUTHORITY, IS_ATTORNEY,
    JUDGMENT_EXISTS, MISSTATED_AMOUNT, OBSCENE, PRESSURE_TO_BORROW, SUIT_AUTHORIZED, VIOLENCE,
    Phrase,
)


def _many(category, texts, **kw):
    return [Phrase(category, t, **kw) for t in texts]


PHRASES = [
    # US.HARASS 1006.14(b)-(c); CN.PROHIBITED: violence or criminal means.  Never negatable:
    # "this is not a threat, but ..." is still a threat.
    *_many(VIOLENCE, [
        "send someone round", "send someone around", "send someone to your house",
        "send some guys", "send the boys round", "make your life hell", "make your life a living hell",
        "break your legs", "break your neck", "break your arm", "we know where you live",
        "watch your back", "hurt you", "beat you up", "kill you", "burn your house",
        "something bad will happen", "you will regret this", "you'll regret this", "you will be sorry",
        "your family's safety", "your family will get hurt", "a visit you won't forget",
        "where your kids go to school", "where your children go to school", "we know where your kids",
        "we know where your children", "you will regret", "you'll regret", "you are going to regret",
    ], negatable=False),
    # US.HARASS 1006.14(d); US-CA.ROSENTHAL 1788.11(a): obscene, profane or abusive language.
    *_many(OBSCENE, [
        "asshole", "bastard", "dickhead", "cunt", "motherfucker", "piece of shit", "deadbeat",
        "scumbag", "scum", "lowlife", "dumbass", "go to hell", "screw you", "bullshit", "moron",
        "idiot", "loser", "worthless", "pathetic",
    ], negatable=False),
    *_many(OBSCENE, [
        "fuck", "fucking", "fucked", "fucker", "fuckin", "fck", "fuk", "shit", "shitty", "shithead",
        "bitch", "bitches",
    ], negatable=False),
    # US.MISLEAD 1006.18(b)(1),(b)(7); GB.MISREP CONC 7.11: false authority.
    *_many(FALSE_AUTHORITY, [
        "financial crimes unit", "fraud investigation unit", "police department", "sheriff's office",
        "sheriff's department", "fbi", "federal agent", "department of justice", "irs agent",
        "officer of the court", "court officer", "government agency", "we are the government",
        "on behalf of the court", "official court document", "we are the credit bureau",
        "high court enforcement officer",
    ]),
    *_many(FALSE_AUTHORITY, [
        "i am an attorney", "i'm an attorney", "i am a lawyer", "i'm a lawyer", "attorney at law",
        "law office of", "law offices of", "i am a solicitor", "i'm a solicitor", "our solicitors",
    ], lawful_if=IS_ATTORNEY),
    # US.MISLEAD 1006.18(c)(1),(c)(4): false accusation of crime; threat of arrest.
    *_many(FALSE_ARREST, [
        "warrant for your arrest", "arrest warrant", "be arrested", "arrest", "go to jail",
        "go to prison", "sent to jail", "put you in jail", "jail time", "jail", "prison",
        "criminal charges", "press charges", "criminal complaint", "committed fraud", "bank fraud",
        "theft by deception", "check fraud", "cheque fraud", "criminal offence", "criminal offense",
        "you are a criminal", "prosecuted",
        # Other forms of the same threats: words are matched whole, so each form is listed.
        "arrested", "arresting", "warrant has been issued", "warrant issued", "warrants issued",
        "warrant out for", "warrant in your name", "bench warrant", "prosecute", "prosecuting",
        "prosecution", "jailed", "imprisoned", "imprisonment", "is a crime", "criminal matter", "criminal case",
        "committing fraud", "commit fraud", "report you to the police", "police will be informed",
        "inform the police", "notify the police", "involve the police", "call the police on you",
    ]),
    # US.MISLEAD 1006.18(c)(5); US.TIME_BARRED 1006.26(b); GB.MISREP: threats of suit are
    # lawful only when suit is authorised, intended and the debt is not time-barred.
    *_many(ACTION_NOT_INTENDED, [
        "sue you", "we will sue", "we'll sue", "file suit", "file a lawsuit", "filing a lawsuit",
        "take you to court", "legal action will be taken", "take legal action", "begin legal proceedings",
        "start legal proceedings", "court proceedings", "county court judgment", "ccj",
        "you will be served", "process server", "court summons", "summons",
        "be sued", "get sued", "suing you", "sued you", "lawsuit against you",
    ], lawful_if=SUIT_AUTHORIZED),
    # Enforcement needs a judgment (1006.18(c)(4); GB.MISREP).
    *_many(ACTION_NOT_INTENDED, [
        "wage garnishment", "seize your", "freeze your bank account", "freeze your account",
        "levy your bank account", "bank levy", "put a lien on", "lien on your house", "take your house",
        "take your car", "attachment of earnings", "bailiffs", "bailiff", "enforcement agents",
        "court enforcement officer", "court enforcement officers", "charging order", "account will be frozen",
        "accounts will be frozen", "account frozen",
    ], lawful_if=JUDGMENT_EXISTS),
    Phrase(ACTION_NOT_INTENDED, r"garnish\w*", regex=True, lawful_if=JUDGMENT_EXISTS,
           keys=("garnish", "garnished", "garnishing", "garnishment", "garnishee")),
    # Never lawful for a collector to threaten.
    *_many(ACTION_NOT_INTENDED, [
        "report you to immigration", "deport", "lose your job", "have you fired", "cancel your visa",
        "take your children",
    ]),
    # US.THIRD_PARTY 1006.6(d); US.UNFAIR 1006.22(f)(4); GB.THIRD_PARTY: exposure and shaming.
    *_many(EXPOSURE, [
        "tell your boss", "tell your employer", "call your employer", "contact your employer",
        "inform your employer", "call your boss", "visit your workplace", "tell your family",
        "tell your neighbors", "tell your neighbours", "tell your friends", "contact your friends",
        "call your friends", "call everyone in your contacts", "your contacts will know",
        "name and shame", "shame you", "everyone will know", "list of debtors", "debtors list",
        "publish your name", "your contact list", "your contacts list", "let your neighbours know",
        "let your neighbors know",
    ]),
    # Telling the debtor's circle (a spouse is not in the list: 1006.6(a)(1) counts a spouse
    # as the consumer).
    Phrase(EXPOSURE, r"(?:tell|call|contact|inform|notify|let|visit|write to) your (?:boss|employer|coworkers|colleagues|mother|mom|mum|father|dad|parents|relatives|family|neighbours|neighbors|friends|children|kids)\b", regex=True,
           keys=("boss", "employer", "coworkers", "colleagues", "mother", "mom", "mum", "father", "dad", "parents",
                 "relatives", "family", "neighbours", "neighbors", "friends", "children", "kids")),
    Phrase(EXPOSURE, r"post (?:this |it |your debt |your name |about you |about your debt |about this debt )?(?:on|to) (?:social media|facebook|instagram|twitter|x|tiktok|linkedin)", regex=True,
           keys=("post",)),
    # US.MISLEAD 1006.18(b)(2): character, amount or legal status of the debt; fake blacklists.
    *_many(MISSTATED_AMOUNT, [
        "blacklist", "blacklisted", "credit blacklist", "never get credit again", "never be able to get a loan",
        "ruin your credit forever", "your debt will double", "interest will double", "amount will triple",
        "permanently on your credit", "destroy your credit", "ruin your credit", "wreck your credit",
    ]),
    # GB.PRESSURE CONC 7.3.10R: no pressure to borrow, sell property, or pay in one large sum at once.
    *_many(PRESSURE_TO_BORROW, [
        "payday loan", "take out a loan to pay", "take out another loan", "borrow money to pay",
        "remortgage", "use your credit card to pay", "pay within 24 hours", "pay within the hour",
        "lend you the money", "lend you money",
    ]),
    Phrase(PRESSURE_TO_BORROW, r"borrow (?:it |the money )?from (?:your )?(?:family|friends|a friend|relatives|parents)", regex=True, keys=("borrow",)),
    Phrase(PRESSURE_TO_BORROW, r"sell your (?:car|house|home|belongings|furniture|jewellery|jewelry|possessions)", regex=True, keys=("sell",)),
    Phrase(PRESSURE_TO_BORROW, r"pay (?:the full balance|the whole|the entire|everything|in full)[^.!?]{0,30}(?:today|tonight|tomorrow|within 24 hours|within the hour)", regex=True,
           keys=("today", "tonight", "tomorrow", "hours", "hour")),
    # CONC 7.9.2R (misleading contact), US.MISLEAD 1006.18(e): bait.
    *_many(CONTACT_BAIT, [
        "missed delivery", "parcel waiting", "package could not be delivered", "delivery attempt",
        "courier tried to deliver", "you have won", "claim your prize", "claim your refund",
    ]),
]

# Words that reveal a debt: forbidden to third parties (US.LOCATION 1006.10(c); CN.THIRD_PARTY;
# GB.THIRD_PARTY), in limited-content voicemails (1006.2(j)) and on envelopes (1006.22(f)(5)).
DEBT_WORDS = r"\b(?:debts?|owes?|owed|owing|overdue|arrears|collections?|collect(?:ing|or|ors)?|delinquen\w*|past due|unpaid|outstanding balance|balance due|loan|repay\w*|recovery)\b"

NEGATIONS = frozenset({
    "not", "never", "no", "won't", "wont", "don't", "dont", "cannot", "can't", "cant", "isn't",
    "aren't", "without", "nor", "neither",
})
