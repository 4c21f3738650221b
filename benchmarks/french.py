"""The French version of a generated benchmark post: the same release, written in French-looking text.

A translation keeps everything that makes it the same release (Id, Date, Status, Material, audiences, category,
tags, the moment of each correction) and has its own words: title, slug (made from the French title), summary,
lead image's alt text, corrections' text and body. The words are drawn from a small vocabulary, as the English
posts' are: they read like French to Pagefind and to a reader skimming the page, not like a translation.
"""

from __future__ import annotations

import random

from prose import Language, post_body, sentence

# What each English verb and subject of benchmarks/corpus.py becomes in a French title.
VERBS = {
    "opens": "inaugure",
    "expands": "agrandit",
    "reports progress at": "fait le point sur",
    "files plans for": "dépose les plans de",
    "completes work on": "achève les travaux de",
    "invests in": "investit dans",
}
SUBJECTS = {
    "wind farm": "le parc éolien",
    "solar plant": "la centrale solaire",
    "battery storage centre": "le centre de stockage par batteries",
    "substation": "le poste électrique",
    "transmission line": "la ligne de transport",
    "training centre": "le centre de formation",
}
PROSE = (
    "le projet fournira une électricité renouvelable aux foyers et aux entreprises de toute la région tout en "
    "créant des emplois locaux et en versant des taxes foncières qui soutiennent les écoles les routes et les "
    "services d'urgence larkspur a travaillé avec les résidents les élus municipaux et les organismes de l'État "
    "pour définir l'implantation le calendrier des travaux et le fonds communautaire les éoliennes les panneaux "
    "et les batteries ont été livrés à temps et dans le respect du budget et les équipes ont suivi une formation "
    "à la sécurité avant le début du chantier la production est vendue par contrats à long terme avec des "
    "distributeurs régionaux et des organismes publics le suivi des oiseaux des chauves-souris de l'eau et du "
    "bruit se poursuit pendant l'exploitation et les résultats sont publiés chaque année la centrale respecte "
    "les normes environnementales en vigueur et la société rend compte de ses progrès aux collectivités voisines "
    "grâce à des réunions publiques des visites du site et un rapport annuel sur le développement durable"
)
FRENCH = Language(
    words=tuple(PROSE.split()),
    key_facts="Points clés",
    next_steps="Prochaines étapes",
    read_more="Lisez [notre démarche pour {subject}](/about/) et les [archives](/archive/).",
)
CORRECTION = "Une version antérieure de ce communiqué indiquait un chiffre erroné."


def french_title(verb: str, subject: str, place: str, number: int) -> str:
    """'Larkspur inaugure le parc éolien de Bellmont (12)': the French title of an English one's parts."""
    return f"Larkspur {_then(VERBS[verb], SUBJECTS[subject])} de {place} ({number})"


def french_post(
    fields: dict[str, str], verb: str, subject: str, place: str, number: int, rng: random.Random
) -> tuple[dict[str, str], list[str]]:
    """The header and body of the French version of the post whose English header is `fields`."""
    french_subject = SUBJECTS[subject]
    header = {"Title": french_title(verb, subject, place, number), "Id": fields["Id"], "Lang": "fr"}
    header |= {name: fields[name] for name in ("Date", "Audience", "Category", "Tags")}
    header["Summary"] = sentence(rng, FRENCH, 14, 30)[:290]
    if "Image" in fields:
        header |= {"Image": fields["Image"], "Image-Alt": f"{_capitalized(french_subject)} près de {place}"}
    if "Correction" in fields:  # the same moment; the text in French
        header["Correction"] = f"{fields['Correction'].partition(' | ')[0]} | {CORRECTION}"
    header |= {name: fields[name] for name in ("Status", "Material", "Contact") if name in fields}
    body = post_body(rng, FRENCH, place, french_subject)
    return header, body


def _then(verb: str, subject: str) -> str:
    """The verb and its object, contracted as French writes them: 'de le parc' is 'du parc'."""
    if verb.endswith(" de") and subject.startswith("le "):
        return f"{verb[:-3]} du {subject[3:]}"
    return f"{verb} {subject}"


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]
