"""The date of the meeting: « RÉUNION DU 13 DÉCEMBRE 2022 », « Séance du 14/03/2023 »,
« L'an deux mille vingt et un, le premier février », « Séance plénière des 14 et 15 décembre ».

Dates of other meetings appear in the recitals (« Vu … réunion du 28/11/2022 »): they are
skipped. Signature, notice (convocation) and posting dates are never taken for the meeting's.
"""

import re
from datetime import date
from itertools import islice

from spend.deliberations.messages import MSG_BAD_DATE, MSG_NO_DATE
from spend.deliberations.model import Confidence, Found, Part
from spend.deliberations.structure import Structure

MONTHS: dict[str, int] = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_MONTH = (
    r"(?P<month>janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|"
    r"novembre|d[ée]cembre)\b"
)
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
# « 13 décembre 2022 », « 1er juillet 2023 », « 14 et 15 décembre 2023 », « 13/12/2022 »
_DATE = (
    r"(?P<date>(?<!\d)(?P<day>\d{1,2})(?:er)?(?:\s(?:et|au)\s(?P<day2>\d{1,2})(?:er)?)?"
    rf"\s{_MONTH}\s(?P<year>\d{{4}})(?!\d)"
    r"|(?<!\d)(?P<nday>\d{1,2})[/.](?P<nmonth>\d{1,2})[/.](?P<nyear>\d{4})(?!\d))"
)
# The patterns read the lowercase text (`text.lowered`) and begin with a word, which the
# regex engine finds fast; the word boundary before it is checked afterwards.
# A meeting word, then the date a few words on: « réunion du », « séance publique du »,
# « s'est réuni le », « date de la séance : ». The gap is bounded: each try is short.
# The assembly named with its date is a meeting word too: « Commission permanente du 13 décembre
# 2022 », « Conseil municipal du 3 mars 2022 », « Bureau communautaire du … ».
_MEETING_DATE = re.compile(
    r"(?:r[ée]union|s[ée]ance|session|r[ée]unie?s?|commission\spermanente|conseil|bureau"
    r"|comit[ée]|directoire|assembl[ée]e)\b[^\n]{0,80}?"
    rf"(?:\b(?:du|le|des)|:)\s(?:{_WEEKDAY}\s)?{_DATE}"
)
# « Le 14 mars 2023 à 18 h 30, le Conseil municipal … s'est réuni »
_DATE_THEN_MEETING = re.compile(
    rf"^le\s(?:{_WEEKDAY}\s)?{_DATE}[^\n]{{0,200}}?\br[ée]uni", re.MULTILINE
)
# What the words between the meeting word and the date must not say.
_OTHER_DATE = re.compile(r"convo|affich|publication|publi[ée]|transmi|re[çc]u|notifi|sign")

_NUMBER_WORDS: dict[str, int] = {
    "un": 1,
    "une": 1,
    "premier": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
}
_WORD = r"(?:et|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
_WORD += r"quinze|seize|vingt|trente|quarante|cinquante|soixante)\b"
# « L'an deux mille vingt et un, le premier février »
_YEAR_IN_WORDS = re.compile(
    rf"\bl['’]an\s(?P<year>deux\smille?(?:[\s-]{_WORD})*+|\d{{4}}(?!\d))\s?,?\sle\s"
    rf"(?P<day>premier|{_WORD}(?:[\s-]{_WORD})*+|\d{{1,2}}(?:er)?)\s{_MONTH}"
)
_MATCHES_MAX = 200


def meeting_date(parts: Structure) -> Part[Found[date] | None]:
    """The meeting's date and where it was read; the heading first, then the rest of the text."""
    found = _meeting_match(parts)
    if found is not None:
        match, confidence = found
        start, end = match.span("date") if _has(match, "date") else match.span()
        numbers = _date_parts(match)
        if numbers is not None:
            try:
                return Part(Found(date(*numbers), start, end, confidence))
            except ValueError:
                date_text = parts.text.window(start, end).raw
                return Part(None, (MSG_BAD_DATE.format(text=date_text),))
    return Part(None, (MSG_NO_DATE,))


def _has(match: re.Match[str], group: str) -> bool:
    return group in match.re.groupindex and match[group] is not None


def _meeting_match(parts: Structure) -> tuple[re.Match[str], Confidence] | None:
    """The heading's meeting date (sure, unless the meeting spans two days), else the first
    one further on outside the recitals (to be checked)."""
    for pattern in (_YEAR_IN_WORDS, _DATE_THEN_MEETING, _MEETING_DATE):
        for match in islice(parts.heading.finditer(pattern, low=True), _MATCHES_MAX):
            if _is_meeting(match):
                sure = not _has(match, "day2")
                return match, Confidence.SURE if sure else Confidence.CHECK
    after_heading = parts.text.window(parts.heading_end)
    for match in islice(after_heading.finditer(_MEETING_DATE, low=True), _MATCHES_MAX):
        if _is_meeting(match) and not parts.in_recital(match.start()):
            return match, Confidence.CHECK
    return None


# « la délibération du Conseil municipal du 3 mai 2021 »: another meeting, cited.
_CITED_BEFORE = re.compile(
    r"(?:d[ée]lib[ée]ration|d[ée]cision|vu|avis|arr[êe]t[ée]) (?:[\w'’]+ ){0,3}\Z"
)


def _is_meeting(match: re.Match[str]) -> bool:
    if not _has(match, "date"):
        return True
    if match.re is _MEETING_DATE and _CITED_BEFORE.search(
        match.string, max(0, match.start() - 40), match.start()
    ):
        return False
    if (
        match.re is _MEETING_DATE
        and match.start() > 0
        and match.string[match.start() - 1].isalpha()
    ):
        return False  # « possession du … », not « session du … »
    return _OTHER_DATE.search(match.string, match.start(), match.start("date")) is None


def _date_parts(match: re.Match[str]) -> tuple[int, int, int] | None:
    if match.re is _YEAR_IN_WORDS:
        year, day = _in_words(match["year"]), _in_words(match["day"])
        month = MONTHS[_plain(match["month"])]
        return None if year is None or day is None else (year, month, day)
    if match["month"] is not None:
        return int(match["year"]), MONTHS[_plain(match["month"])], int(match["day"])
    return int(match["nyear"]), int(match["nmonth"]), int(match["nday"])


def _plain(word: str) -> str:
    return word.lower().translate(str.maketrans("éèêûù", "eeeuu"))


def _in_words(text: str) -> int | None:
    """« deux mille vingt et un » → 2021, « premier » → 1, « 1er » → 1."""
    text = text.lower()
    if text[:1].isdigit():
        return int(text.removesuffix("er"))
    total = current = 0
    for word in re.split(r"[\s-]+", text):
        if word in ("mille", "mil"):
            total += max(current, 1) * 1000
            current = 0
        elif word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
        elif word != "et":
            return None
    return total + current
