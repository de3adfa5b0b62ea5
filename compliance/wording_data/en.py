"""English phrases by category.  A space matches any run of spacing or punctuation."""

import re

from . import (
    ACTION_NOT_INTENDED, CONTACT_BAIT, EXPOSURE, FALSE_ARREST, FALSE_AUTHORITY, IS_ATTORNEY,
    JUDGMENT_EXISTS, MISSTATED_AMOUNT, OBSCENE, PRESSURE_TO_BORROW, SUIT_AUTHORIZED, VIOLENCE,
    Phrase,
)


def _many(category, texts, **kw):
    return [Phrase(category, t, **kw) for t in texts]


def _alternation(words):
    """A regex matching any of ``words``, factored by common prefix ("t(?:ell|ext)"): ``re``
    tries one branch per character instead of every word at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node):
        alts = [re.escape(k) + emit(v) for k, v in sorted(node.items()) if k]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _verb_before(after, verbs):
    """Lookbehinds: one of ``verbs`` then ``after`` ends here.  A first lookbehind on the verbs'
    last two letters rules out most places at once ("for your", "garnish your")."""
    pair = f"(?<=[{''.join(sorted({v[-2] for v in verbs}))}][{''.join(sorted({v[-1] for v in verbs}))}]{re.escape(after)})"
    return pair + "(?:" + "|".join(f"(?<={re.escape(verb + after)})" for verb in verbs) + ")"


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
        "get sued", "suing you", "sued you", "lawsuit against you",
    ], lawful_if=SUIT_AUTHORIZED),
    # The time-barred disclosure (Cal. Civ. Code 1788.14(d), NY 22 NYCRR 1.3) says "the law limits how
    # long you can be sued on a debt": a statement of law, not a threat.
    Phrase(ACTION_NOT_INTENDED, "be sued", lawful_if=SUIT_AUTHORIZED, not_after=("how long you can ", "how long you may ")),
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
        "take out a payday loan", "take a payday loan", "get a payday loan", "use a payday loan", "payday loan to pay",
        "payday lender", "take out a loan to pay", "take out another loan", "borrow money to pay",
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


# Verbs and people of "we'll tell your boss" (a spouse is the consumer: 1006.6(a)(1)).
_TELL_VERBS = ('tell', 'call', 'contact', 'inform', 'notify', 'let', 'visit', 'write to',
               'telling', 'calling', 'ring', 'ringing', 'phone', 'phoning', 'email', 'emailing', 'e-mail', 'text', 'texting',
               'message', 'messaging', 'contacting', 'informing', 'notifying', 'visiting', 'writing to', 'reach out to', 'get in touch with', 'show up at', 'turn up at', 'come to', 'alert', 'warn', 'approach')
_NOT_AN_ADDRESS = r"\b(?! (?:phone|number|email|e-mail|address|mobile|line))"
_CIRCLE = ('boss', 'employer', 'manager', 'supervisor', 'hr', 'human resources', 'coworkers', 'co-workers', 'colleagues', 'workplace', 'work', 'office', 'job', 'landlord', 'references', 'mother', 'mom', 'mum', 'father', 'dad', 'parents', 'relatives', 'family', 'neighbours', 'neighbors', 'friends', 'facebook friends', 'followers', 'children', 'kids', 'son', 'daughter', 'sister', 'brother', 'siblings', 'grandparents', 'grandmother', 'grandfather', 'aunt', 'uncle', 'cousins', 'in-laws', 'church', 'pastor')
_CIRCLE_KEYS = tuple(dict.fromkeys(word for person in _CIRCLE for word in re.findall("[a-z]+", person)
                                   if word not in ("in", "co", "human")))

# Further forms found by probing realistic collector messages (slang, tense, GB usage).
PHRASES += [
    *_many(VIOLENCE, [
        "a couple of guys", "send some people", "send people round", "send people to your", "our lads",
        "some of the lads", "a couple of lads", "smash your", "slash your tyres", "slash your tires", "torch your",
        "set fire to your", "sleep with one eye open", "what's coming to you", "whats coming to you",
        "get hurt", "gonna get hurt", "going to get hurt", "make you suffer", "make sure you suffer",
        "you will suffer", "you'll suffer", "teach you a lesson", "rough you up", "kick your", "knock your teeth",
        "put you in hospital", "put you in the hospital", "accidents happen", "shame if something happened",
        "something happened to your", "something happens to your", "something could happen to",
        "you've been warned",
    ], negatable=False),
    # Ambiguous without context: a plain denial ("we will not pay you a visit") is benign.
    *_many(VIOLENCE, [
        "pay you a little visit", "people in your area", "we know your address", "we know where you work",
        "i know where you live", "i know where you work", "we know your car",
    ]),
    # "Don't make us ...": the negation belongs to the dare, not to the threat.
    *_many(VIOLENCE, [f"{verb} {who} come {where}" for verb in ("make", "force") for who in ("me", "us")
                      for where in ("round", "to your house", "looking for you", "down there myself")],
           negatable=False),
    *_many(FALSE_ARREST, [f"{verb} {who} {act}" for verb in ("make", "force") for who in ("me", "us")
                          for act in ("lock you up", "call the police", "call the cops", "have you arrested",
                                      "press charges", "involve the police")], negatable=False),
    *_many(ACTION_NOT_INTENDED, [f"{verb} {who} {act}" for verb in ("make", "force") for who in ("me", "us")
                                 for act in ("take you to court", "sue you", "sue", "take legal action",
                                             "start legal proceedings", "file suit", "file a lawsuit")],
           lawful_if=SUIT_AUTHORIZED, negatable=False),
    *_many(OBSCENE, [
        "lazy bum", "bum", "liar", "you cheat", "a cheat", "you stupid", "stupid person", "stupid people",
        "you're stupid", "are you stupid", "so stupid", "stupid enough", "freeloader", "freeloaders", "wanker", "wankers",
        "dirtbag", "dirtbags", "you thief", "a thief", "nothing but a thief", "you crook", "a crook", "crooks",
        "crap", "you're a disgrace", "a disgrace to", "disgraceful", "damn", "damn it", "dammit", "goddamn", "goddamit", "parasite", "parasites",
        "prick", "a jerk", "you jerk", "such a jerk", "sponger", "spongers", "scrounger", "scroungers", "you leech", "a leech", "tosser", "twat", "arsehole",
        "bollocks", "piss off", "imbecile", "retard", "you dumb", "are you dumb", "dumb enough", "you're trash", "white trash",
        "human trash", "piece of trash", "slob", "low life", "idiots", "morons", "losers", "deadbeats",
        "bastards", "assholes", "scumbags", "f ing", "f ck", "f k", "f king", "f cking", "sh t", "b tch",
    ], negatable=False),
    *_many(FALSE_AUTHORITY, [
        "this is officer", "this is detective", "this is sergeant", "this is constable", "this is deputy",
        "police officer", "i'm a police", "i am a police", "we are the police", "district attorney",
        "working with law enforcement", "we are law enforcement", "this is law enforcement", "working with the police", "enforcement division", "legal enforcement",
        "fraud squad", "fraud division", "court appointed", "department of the treasury", "treasury department",
        "officers of the state", "officer of the state", "debt enforcement agency", "federal debt enforcement",
        "work for the sheriff", "this is the sheriff", "from the sheriff", "deputy sheriff",
        "this is the county court", "this is the court", "calling from the court", "calling from the county court",
        "calling from the police", "calling from the sheriff",
    ]),
    *_many(FALSE_ARREST, [
        "locked up", "lock you up", "is theft", "that's theft", "considered theft",
        "stealing from us", "you are stealing", "you're stealing", "taken into custody", "into custody",
        "police report against", "filed a police report", "charged with fraud",
        "charged with theft", "charged with a crime", "criminal record", "considered fraud", "guilty of fraud",
        "constitutes fraud", "amounts to fraud", "fraud case", "fraud charges", "police are on their way",
        "police are coming", "police will come", "police have been notified", "police have been informed",
        "police will arrest", "police involved", "handcuffed", "handcuffs", "criminal act", "cops", "detained",
        "criminal prosecution", "criminally liable",
    ]),
    *_many(ACTION_NOT_INTENDED, [
        "taking you to court", "see you in court", "legal proceedings", "litigation", "lawsuit", "legal action",
        "to our lawyers", "to our attorneys", "to our solicitors",
        "start proceedings", "issue proceedings", "court order against you", "get a court order",
        "claim against you", "county court claim", "issue a claim", "money claim",
    ], lawful_if=SUIT_AUTHORIZED),
    *_many(ACTION_NOT_INTENDED, [
        "wages will be docked", "dock your wages", "docked", "take it out of your", "take it straight out of your",
        "taken out of your wages", "taken from your wages", "deducted from your wages", "deducted from your salary",
        "deducted from your paycheck", "straight from your wages", "straight out of your paycheck",
        "empty your bank account", "empty your account", "drain your account", "place a lien", "lien on your",
        "will be seized", "be seized", "seized", "seizure", "freeze your accounts", "freeze your bank accounts",
        "freeze your assets", "take your home", "take your property", "lose your house", "lose your home",
        "take everything you own", "everything you own", "take your belongings", "take your possessions",
        "enforcement officers", "enforcement officer", "sheriff will", "the sheriff is coming",
    ], lawful_if=JUDGMENT_EXISTS),
    *_many(ACTION_NOT_INTENDED, [
        "suspend your driver's license", "suspend your drivers license", "suspend your license",
        "suspend your licence", "suspend your driving licence", "revoke your license", "revoke your licence",
        "lose your license", "lose your licence", "lose your driver's license", "lose your driving licence",
        "lose your passport", "revoke your passport", "cancel your passport", "passport revoked",
        "passport will be revoked", "passport will be cancelled", "stop you leaving the country", "travel ban", "stop your benefits",
        "cut off your benefits", "cut your benefits", "take your benefits", "stop your pension",
        "have you evicted", "get you evicted", "take your kids",
    ]),
    # Telling the debtor's circle, more verbs and people (a spouse is the consumer: 1006.6(a)(1)).
    # The commonest verbs lead the pattern; the rest are checked behind " your ", so that ``re``
    # skips ahead to "your" instead of trying thirty verbs at every letter (the finding is then
    # "your mum" rather than "ring your mum").
    Phrase(EXPOSURE, _alternation(_TELL_VERBS[:8]) + " your " + _alternation(_CIRCLE) + _NOT_AN_ADDRESS, regex=True, keys=_CIRCLE_KEYS),
    Phrase(EXPOSURE, "your " + _verb_before(" your ", _TELL_VERBS[8:])
           + _alternation(_CIRCLE) + _NOT_AN_ADDRESS, regex=True, keys=_CIRCLE_KEYS),
    # "We'll speak to your mum": the collector speaking (advice to the debtor, "you may want to talk to your family", is benign).
    Phrase(EXPOSURE, _alternation(("we", "we'll", "we will", "we're going to", "we are going to", "we shall", "we may", "we might",
                                   "i", "i'll", "i will", "i'm going to", "let us", "let me"))
           + " " + _alternation(("speak", "talk", "have a word")) + " " + _alternation(("to", "with")) + " your "
           + _alternation(("boss", "employer", "manager", "supervisor", "hr", "coworkers", "colleagues", "landlord", "references",
                           "mother", "mom", "mum", "father", "dad", "parents", "relatives", "family", "neighbours", "neighbors",
                           "friends", "children", "kids", "son", "daughter", "sister", "brother", "grandparents", "in-laws"))
           + r"\b", regex=True,
           keys=("speak", "talk", "word")),
    # (Factored alternations: ``_required_literals`` ignores them, so the pre-filter is the one
    # substring "your " rather than a substring test per person, which cost more than the search.)
    Phrase(EXPOSURE, "your " + _alternation(("boss", "employer", "manager", "hr department", "coworkers", "co-workers", "colleagues",
                                             "landlord", "mother", "mom", "mum", "father", "dad", "parents", "relatives", "family",
                                             "neighbours", "neighbors", "friends", "children", "kids", "sister", "brother"))
           + " " + _alternation(("will", "are going to", "is going to", "are gonna", "is gonna", "might", "may"))
           + " " + _alternation(("find out", "know", "hear about", "be hearing from us", "hear from us", "be told",
                                 "be contacted", "be notified", "be informed")), regex=True,
           keys=("find", "know", "hear", "hearing", "told", "contacted", "notified", "informed")),
    *_many(EXPOSURE, [
        *(f"everyone at your {place}" for place in ("work", "job", "office", "workplace", "church", "school", "gym")),
        "post your name", "put your name on", "your name on our website", "your name online", "your photo online",
        "publish your details", "on our wall of shame", "wall of shame", "your facebook friends",
    ]),
    *_many(MISSTATED_AMOUNT, [
        "never get a mortgage", "never get a loan",
        "never get credit", "never get a credit card", "never be able to rent", "on your credit report forever",
        "on your credit file forever", "on your record forever", "credit forever", "ruined for life",
        "credit for life", "debtors register", "debtor register", "debtors database", "black listed",
        "every day you don't pay", "each day you don't pay", "every day you delay", "each day you delay",
        "added every day", "per day until you pay", "lend to you again", "no bank will", "nobody will lend",
        "no one will lend",
    ], negatable=False),
    Phrase(MISSTATED_AMOUNT, r"(?:balance|debt|amount|bill|fees|charges|arrears|it|interest)(?:(?: will| is going to|'ll) (?:double|triple)| has (?:doubled|tripled))\b", regex=True,
           negatable=False, keys=("double", "triple", "doubled", "tripled")),
    *_many(PRESSURE_TO_BORROW, [
        "put it on your credit card", "put it on a credit card", "pay it on your credit card", "max out your",
        "cash advance", "pawn your", "pawn shop", "pawnshop", "borrow it off", "borrow off", "borrow from a mate",
        "cash in your pension", "cash out your pension", "cash out your 401k", "cash out your 401 k",
        "withdraw from your 401k", "withdraw from your 401 k", "dip into your 401k", "dip into your 401 k",
        "raid your pension", "dip into your pension", "release equity", "equity release", "take out a loan",
        "get a loan to pay", "get a loan and pay", "loan shark", "title loan",
    ]),
    Phrase(PRESSURE_TO_BORROW, r"(?:ask|get|have|beg) (?:your |a )?" + _alternation(("family", "friend", "friends", "parents", "relatives", "mum", "mom", "dad", "mother", "father",
                                                               "brother", "sister", "mate", "mates", "partner", "grandparents")) + r" (?:for (?:the |a |some )?(?:money|cash|loan|help paying)|to (?:pay|lend|cover|help pay|bail|give))", regex=True,
           keys=("family", "friend", "friends", "parents", "relatives", "mum", "mom", "dad", "mother", "father", "brother", "sister",
                 "mate", "mates", "partner", "grandparents")),
    Phrase(PRESSURE_TO_BORROW, r"pay (?:the lot|it all|all of it|the full amount|the total|the whole lot|everything)[^.!?]{0,30}(?:today|tonight|within the hour|within 24 hours|by \d{1,2}(?::\d\d)? ?(?:am|pm))", regex=True,
           keys=("lot", "all", "full", "total", "everything")),
    *_many(CONTACT_BAIT, [
        "your parcel", "parcel is being held", "parcel on hold", "tried to deliver your parcel",
        "tried to deliver your package", "tried to deliver a parcel", "tried to deliver a package", "failed delivery",
        "delivery failed", "rearrange delivery", "reschedule delivery", "you've won", "you have been selected",
        "won a gift card", "free gift card", "claim your gift card", "free gift", "unclaimed refund", "refund waiting", "refund is waiting", "owed a refund",
        "claim your reward",
    ]),
]

# Words that reveal a debt: forbidden to third parties (US.LOCATION 1006.10(c); CN.THIRD_PARTY;
# GB.THIRD_PARTY), in limited-content voicemails (1006.2(j)) and on envelopes (1006.22(f)(5)).
DEBT_WORDS = r"\b(?:debts?|owes?|owed|owing|overdue|arrears|collections?|collect(?:ing|or|ors)?|delinquen\w*|past due|unpaid|outstanding balance|balance due|loan|repay\w*|recovery)\b"

NEGATIONS = frozenset({
    "not", "never", "no", "won't", "wont", "don't", "dont", "cannot", "can't", "cant", "isn't",
    "aren't", "without", "nor", "neither", "nobody", "wouldn't", "wouldnt", "couldn't", "couldnt",
    "didn't", "didnt", "doesn't", "doesnt", "haven't", "hasn't", "wasn't", "weren't", "mustn't",
    # Several words read as one ("at no point will we contact your employer": the last three
    # words before the phrase are "point will we").
    "at no point", "at no time", "under no circumstances", "in no circumstances", "in no way",
    "by no means", "no way", "at no stage", "no one", "no-one", "against the law", "illegal for us",
    "unlawful for us",
    # Scam warnings: "scammers may threaten you with arrest", "fake missed delivery texts".
    "threaten", "threatens", "threatening", "impersonate", "impersonates", "impersonating", "pretend",
    "pretending", "posing", "fake", "bogus", "beware", "claim to be", "claims to be", "claiming to be",
    "calling themselves", "calls himself", "calls herself",
    # Reported speech, a denial only in a warning about scams ("scammers may say you will be arrested").
    "say", "says", "saying",
})

# Negations that mark an impostor: a condition does not make them a threat ("if someone claims
# to be a police officer, hang up").
IMPOSTORS = frozenset({
    "impersonate", "impersonates", "impersonating", "pretend", "pretending", "posing", "fake", "bogus",
    "claim to be", "claims to be", "claiming to be", "calling themselves", "calls himself", "calls herself",
})

# Reporting verbs among the negations: they deny only in a warning about scams, or when they
# are themselves denied ("we will never threaten you with arrest"); "we will threaten you
# with arrest" and "we say you will be sued" are threats.
REPORTING = frozenset({"threaten", "threatens", "threatening", "threatened", "say", "says", "saying"})

# Words between a negation and a phrase that make the negation assert the phrase instead of
# denying it: a consequence or exception ("no payment = arrest", "not paying means a lawsuit",
# "not paying leads to a lawsuit", "we have no choice but to sue"; "by any means" is no
# consequence), a dare ("don't make us call your employer"; "we wouldn't want to have to sue
# you"), reluctance or escape denied ("we won't hesitate to sue", "you can't avoid arrest",
# "we can't rule out legal action").
ASSERTING = (
    "=", "=>", "->", "→", "means", "mean", "equals", "then", "otherwise", "or else", "so", "therefore", "but",
    "leads to", "lead to", "leading to", "results in", "result in", "resulting in",
    "make us", "make me", "force us", "force me", "push us", "push me",
    "want to have to", "like to have to", "wish to have to",
    "hesitate", "think twice", "wait", "delay", "avoid", "escape", "evade", "dodge", "get away from",
    "run from", "hide from", "stop", "back down", "rule out",
)

# A negation that doubts a denial makes it a threat: "don't think we won't sue you", "we can't
# guarantee you won't be arrested".
DOUBTING = ("think", "believe", "assume", "imagine", "suppose", "guarantee", "promise", "say", "expect", "count on")

# The debtor's wish, denied, is no denial of the action: "you don't want to be arrested, do you?"
WISHING = ("want", "wish", "like")
