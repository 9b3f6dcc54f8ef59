"""Annotator: the place or body a figure is about.

The nearest place named before the figure in its sentence, else the document's own subject (the
most local place in its title, else the most named one). Places
come from the glossary's place/institution entries and the general suffix rule (…街道, …社区,
…区, …市). A place inside a quoted name, inside the figure (全区第一, 某区首家), or used as the
first word of a longer name (东湖科技园, 西城产业片区, 南区“美食节”…) is not a subject; nor
is a generic body (街道, 区委: "以街道命名" names no particular subdistrict).
"""

from __future__ import annotations

from digest.facts.state import BlockState
from digest.facts.vocabulary import Place

# a place is the subject when followed by punctuation or by one of these (a verb, an adverb, a
# body); followed by other characters it is the first word of a longer name (东湖科技园)
SUBJECT_NEXT = set(
    "作是已将在新全累成推完实坚以共现目这当积持获荣连的和与等唯街社区市委党人通先也还均深着力开举召发启打建提加率"
)


def _subject(state: BlockState, pos: int, scopes: list[tuple[int, int]]) -> Place | None:
    """The nearest place named before ``pos`` in its sentence that is a subject."""
    text = state.text
    sent_start, _ = state.sentence(pos)
    for s, e, place in reversed(state.mentions()):
        if e > pos or s < sent_start or place.body:
            continue
        nxt = text[e] if e < len(text) else "\0"
        if (
            state.name_quote(s, e)
            or any(a <= s and e <= b for a, b in scopes)
            or nxt in "“《"
            or ("\u4e00" <= nxt <= "\u9fff" and nxt not in SUBJECT_NEXT)
        ):
            continue
        return place
    return None


def rule(state: BlockState) -> None:
    scopes = [(k.start, k.end) for k in state.kept if k.kind == "rank"]
    for c in state.kept:
        chosen = _subject(state, c.start, scopes) or state.ctx.default_subject
        if chosen is not None:
            c.subject = chosen.name
            c.subject_en = chosen.english or state.env.places.english(chosen.name)
