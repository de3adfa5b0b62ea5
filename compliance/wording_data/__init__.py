"""Phrase tables for the wording check (RULES.md, "Wording categories").

Each entry is data: the category, the phrase (or a small regex), and — where a statement
is lawful when true and intended — the case fact that makes it lawful.  The matcher in
``compliance.wording`` compiles these once per pack and language.
"""

from __future__ import annotations

from dataclasses import dataclass

# Categories, as the compliance officer reads them in RULES.md.
VIOLENCE = "violence"                       # violence / criminal means
OBSCENE = "obscene"                         # obscene / insulting
FALSE_AUTHORITY = "false_authority"         # police, courts, attorneys the sender is not
FALSE_ARREST = "false_arrest"               # false accusation of a crime, threat of arrest
ACTION_NOT_INTENDED = "action_not_intended" # action not lawful, not intended, or not yet possible
EXPOSURE = "exposure"                       # exposure to employer, family, contacts; shaming
MISSTATED_AMOUNT = "misstated_amount"       # misstated amount or status; fake blacklists
PRESSURE_TO_BORROW = "pressure_to_borrow"   # pressure to borrow, sell, or pay extra fees
CONTACT_BAIT = "contact_bait"               # misleading contact bait
DEBT_DISCLOSURE = "debt_disclosure"         # reveals a debt: only checked where that is forbidden

CATEGORIES = (
    VIOLENCE, OBSCENE, FALSE_AUTHORITY, FALSE_ARREST, ACTION_NOT_INTENDED,
    EXPOSURE, MISSTATED_AMOUNT, PRESSURE_TO_BORROW, CONTACT_BAIT,
)

# Case facts that make a statement lawful (it is then true and intended).
SUIT_AUTHORIZED = "suit_authorized"   # lawful only if suit authorised and the debt is not time-barred
JUDGMENT_EXISTS = "judgment_exists"   # enforcement (garnishment, seizure) needs a judgment
IS_ATTORNEY = "is_attorney"           # claiming to be a lawyer is fine for a lawyer


@dataclass(frozen=True)
class Phrase:
    category: str
    text: str                      # normalised form: lower case, Simplified Chinese
    regex: bool = False            # ``text`` is a regular expression over normalised text
    lawful_if: str | None = None   # a fact name above
    negatable: bool = True         # "we will not sue" is not a threat
    packs: tuple[str, ...] | None = None  # None: every pack
    keys: tuple[str, ...] = ()     # English regex: whole words, one of which must occur
    not_after: tuple[str, ...] = ()  # benign when directly preceded by one of these ("谨防骗子")
