"""Short forms of given names: Saša and Aca are Aleksandar, Meti is Mehmet, Bona is Valbona.

Sheets are filled in by the attendees themselves as often as by clerks, and people write the name
they go by. The linkage model compares given names by spelling and by sound (Xhevdet, Dževdet,
Џевдет); neither sees that Saša is Aleksandar. This table does: :func:`alias_key` maps a name and
its usual short forms to one key, which the model compares as a level of its own ("known short
form", between a fuzzy spelling match and a different name).

Some short forms belong to several names (Neša: Nenad and Nebojša; Meti: Mehmet, Muhamet and
Ismet; Gaga: Dragan and Dragana). Those names share a key: a short form says "one of these", and
the birth date, sex, family name and municipality decide which. The groups stay small on
purpose; a short form that would join many names (Mile, Boki) is left out rather than let it
make namesakes of unrelated names.

Names are keyed by their sound key (:func:`akt.text.names.sound_key`), so the table holds each
form once, in either orthography or script: Saša, Sasa, Саша and Sasha are one entry.
"""

from __future__ import annotations

from functools import cache

from akt.text.names import sound_key

SHORT_FORMS: dict[str, tuple[str, ...]] = {
    # Serbian, Bosniak and Gorani names.
    "Aleksandar": ("Aca", "Saša", "Sale", "Aleksa", "Leka"),
    "Aleksandra": ("Saška", "Sandra", "Aleksa"),
    "Nikola": ("Džoni", "Kole", "Nikolica", "Nidža"),
    "Jovan": ("Jova", "Joca", "Jovica"),
    "Jovana": ("Joka", "Jovka"),
    "Milan": ("Mića", "Mile"),
    "Milorad": ("Mića", "Mile"),
    "Dragan": ("Gaga", "Draganče"),
    "Dragana": ("Gaga",),
    "Slobodan": ("Boban", "Sloba", "Boba", "Bobi"),
    "Miroslav": ("Miki", "Miro", "Mika"),
    "Vladimir": ("Vlada", "Vlado", "Vladica"),
    "Dušan": ("Duško", "Dule", "Duda"),
    "Stefan": ("Steva", "Stevica"),
    "Nenad": ("Neša",),
    "Nebojša": ("Neša", "Beba"),
    "Zoran": ("Zoki", "Zokica"),
    "Goran": ("Goki",),
    "Srđan": ("Srki", "Srđa", "Srle"),
    "Dejan": ("Deki",),
    "Predrag": ("Peđa", "Pedja"),
    "Đorđe": ("Đole", "Đoka"),
    "Petar": ("Pera", "Pero", "Perica"),
    "Bojan": ("Boki",),
    "Ivan": ("Ivica", "Ivke"),
    "Marko": ("Mare",),
    "Miloš": ("Loki",),
    "Radomir": ("Raša", "Rade"),
    "Radoslav": ("Raša", "Rade"),
    "Stanislav": ("Stanko", "Staša"),
    "Ljubomir": ("Ljuba",),
    "Velimir": ("Velja",),
    "Jelena": ("Jeca", "Jela", "Jelka"),
    "Snežana": ("Sneža", "Sneki"),
    "Svetlana": ("Ceca", "Svetla"),
    "Milica": ("Mica",),
    "Marija": ("Maja", "Mara", "Marica"),
    "Ivana": ("Iva",),
    "Slađana": ("Slađa",),
    "Biljana": ("Bilja", "Biba"),
    "Danijela": ("Daca", "Dani"),
    "Tatjana": ("Tanja",),
    "Gordana": ("Goca",),
    "Ljiljana": ("Ljilja", "Lila"),
    "Mirjana": ("Mira",),
    "Nataša": ("Taša", "Nata"),
    "Zorica": ("Zoka",),
    "Katarina": ("Kaća", "Kata"),
    "Muhamed": ("Meho", "Hamo", "Mujo"),
    "Emir": ("Emko",),
    "Edin": ("Edo",),
    "Mehmed": ("Meho",),
    # Albanian names.
    "Mehmet": ("Meti", "Memi"),
    "Muhamet": ("Meti", "Memi"),
    "Ismet": ("Meti",),
    "Arben": ("Beni",),
    "Bekim": ("Beki",),
    "Driton": ("Toni", "Dritoni"),
    "Besnik": ("Besi",),
    "Ardian": ("Ardi",),
    "Blerim": ("Bleri",),
    "Fatmir": ("Miri", "Fati"),
    "Agim": ("Gimi",),
    "Valon": ("Vali",),
    "Valdrin": ("Vali",),
    "Florent": ("Flori",),
    "Ibrahim": ("Ibo", "Brahim"),
    "Rexhep": ("Rexha",),
    "Skënder": ("Skeni",),
    "Shkëlzen": ("Shkeli",),
    "Gëzim": ("Gezi",),
    "Qëndrim": ("Qeni",),
    "Ramadan": ("Rama",),
    "Adem": ("Demi",),
    "Valbona": ("Bona",),
    "Fatmire": ("Fati",),
    "Afërdita": ("Dita",),
    "Mimoza": ("Moza", "Mimi"),
    "Albulena": ("Lena",),
    "Vjosa": ("Vjosi",),
    "Merita": ("Meri",),
    "Florije": ("Flora",),
    "Arbnora": ("Nora",),
    "Qëndresa": ("Resa",),
    "Mirlinda": ("Linda",),
    "Valentina": ("Tina", "Vali"),
    "Lumnije": ("Lumi",),
    "Besarta": ("Besi",),
}
"""Given name -> its usual short forms, written as people write them."""


@cache
def _groups() -> dict[str, str]:
    """Sound key of every name and short form -> the key of its group (union of shared forms)."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for name, forms in SHORT_FORMS.items():
        for form in forms:
            a, b = root(sound_key(name)), root(sound_key(form))
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {key: root(key) for key in list(parent)}


def alias_key(given_key: str | None) -> str | None:
    """The group key of a given name's sound key: equal for a name and its short forms.

    A name outside the table is its own key, so comparing alias keys is never weaker than
    comparing sound keys.
    """
    if not given_key:
        return None
    return _groups().get(given_key, given_key)
