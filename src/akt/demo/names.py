"""Given and family names for demo persons, by community, and the ways they get written down.

The demo should look like the sign-in sheets the program really collected: names from each of
Kosovo's communities, some Serb names written in Cyrillic, and some typed without diacritics
("Arber Gashi", "Jovan Petrovic"). That variety is what person matching and search have to cope
with, so the demo has it on purpose.

The lists hold common names of each community. Roma, Ashkali and Egyptian families in Kosovo
mostly carry Albanian or Serbian (or Muslim) names, so their lists overlap with the larger ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class NamePool:
    """The names a community's members are given; family names do not change with sex."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]


ALBANIAN = NamePool(
    male=(
        "Adem", "Afrim", "Agim", "Agron", "Alban", "Arben", "Arbër", "Ardian", "Arianit", "Armend",
        "Artan", "Astrit", "Avni", "Bajram", "Bekim", "Besim", "Besnik", "Betim", "Blerim",
        "Burim", "Dardan", "Driton", "Egzon", "Endrit", "Enver", "Ermal", "Faton", "Fatmir",
        "Fisnik", "Fitim", "Flamur", "Florent", "Gazmend", "Gëzim", "Granit", "Hajdar", "Halil",
        "Hysen", "Idriz", "Ilir", "Isa", "Jeton", "Kastriot", "Kreshnik", "Kujtim", "Labinot",
        "Lavdim", "Leutrim", "Liridon", "Lulzim", "Mentor", "Muhamet", "Naim", "Nexhat", "Petrit",
        "Qëndrim", "Ramadan", "Rexhep", "Rinor", "Sabri", "Shkëlzen", "Shpëtim", "Skënder",
        "Valon", "Visar", "Xhevdet", "Ylber", "Ymer", "Zenel",
    ),
    female=(
        "Agnesa", "Albana", "Arbenita", "Ardita", "Arjeta", "Arta", "Besa", "Besarta", "Besjana",
        "Blerina", "Blerta", "Dafina", "Diellza", "Donika", "Drenusha", "Drita", "Edona",
        "Egzona", "Elira", "Elvira", "Era", "Erza", "Fatime", "Fatmire", "Fitore", "Fjolla",
        "Floriana", "Flutura", "Ganimete", "Gentiana", "Hana", "Hyrije", "Ilirjana", "Jehona",
        "Kaltrina", "Kimete", "Lindita", "Lirije", "Liridona", "Luljeta", "Lumnije", "Majlinda",
        "Merita", "Mihrije", "Mimoza", "Mirlinda", "Nazmije", "Nexhmije", "Nora", "Qëndresa",
        "Remzije", "Rina", "Rrezarta", "Saranda", "Sevdije", "Shpresa", "Shqipe", "Teuta",
        "Valbona", "Valdete", "Vjosa", "Vlora", "Xhevahire", "Yllka", "Zana", "Zyrafete",
    ),
    family=(
        "Ahmeti", "Aliu", "Avdiu", "Avdyli", "Bajrami", "Bekteshi", "Beqiri", "Berisha",
        "Bislimi", "Bytyqi", "Demaj", "Dugolli", "Gashi", "Gërguri", "Hajdari", "Halimi", "Haliti",
        "Hasani", "Haxhiu", "Hoti", "Hoxha", "Hyseni", "Ibrahimi", "Imeri", "Islami", "Jashari",
        "Kabashi", "Kastrati", "Kelmendi", "Krasniqi", "Kryeziu", "Kuçi", "Kurti", "Limani",
        "Lushtaku", "Maliqi", "Mazreku", "Mehmeti", "Morina", "Musliu", "Mustafa", "Osmani",
        "Qerimi", "Rama", "Ramadani", "Rexha", "Rexhepi", "Sadiku", "Salihu", "Sejdiu", "Selimi",
        "Shala", "Shehu", "Sylejmani", "Syla", "Tahiri", "Thaçi", "Uka", "Veseli", "Xhaferi",
        "Ymeri", "Zeqiri", "Zymberi",
    ),
)  # fmt: skip

SERB = NamePool(
    male=(
        "Aleksa", "Aleksandar", "Boban", "Bogdan", "Bojan", "Borislav", "Branislav", "Branko",
        "Čedomir", "Dalibor", "Danijel", "Darko", "Dejan", "Dimitrije", "Dobrivoje", "Dragan",
        "Dragiša", "Dragoljub", "Dušan", "Đorđe", "Goran", "Igor", "Ivan", "Jovan", "Lazar",
        "Ljubiša", "Marko", "Milan", "Milorad", "Miloš", "Milovan", "Milutin", "Miodrag",
        "Miroslav", "Mladen", "Momčilo", "Nebojša", "Nemanja", "Nenad", "Nikola", "Novica",
        "Obrad", "Ognjen", "Petar", "Predrag", "Rade", "Radomir", "Radoš", "Ratko", "Saša",
        "Slaviša", "Slobodan", "Srđan", "Stefan", "Stevan", "Strahinja", "Uroš", "Veljko",
        "Vladan", "Vladimir", "Vojislav", "Vuk", "Zoran", "Žarko", "Željko", "Živojin",
    ),
    female=(
        "Aleksandra", "Ana", "Anđela", "Biljana", "Bojana", "Branka", "Danica", "Danijela",
        "Desanka", "Dijana", "Dragana", "Dragica", "Dušica", "Gordana", "Gorica", "Ivana",
        "Jasmina", "Jasna", "Jelena", "Jelica", "Jovana", "Katarina", "Kristina", "Ljiljana",
        "Ljubica", "Marija", "Marijana", "Marina", "Mila", "Milena", "Milica", "Mirjana",
        "Miroslava", "Nada", "Nataša", "Nevena", "Nikolina", "Olgica", "Olivera", "Radmila",
        "Ružica", "Sanja", "Slađana", "Slavica", "Snežana", "Sofija", "Sonja", "Spomenka", "Stana",
        "Stanislava", "Svetlana", "Tamara", "Tatjana", "Teodora", "Tijana", "Valentina", "Vera",
        "Verica", "Vesna", "Vladana", "Vukica", "Zorana", "Zorica", "Živana",
    ),
    family=(
        "Aksić", "Antić", "Arsić", "Babić", "Bogdanović", "Bojić", "Cvetković", "Denić",
        "Dimitrijević", "Đokić", "Đorđević", "Filipović", "Gligorijević", "Ilić", "Ivanović",
        "Jakšić", "Janković", "Jevtić", "Jovanović", "Jović", "Kostić", "Krstić", "Lazarević",
        "Lazić", "Maksimović", "Marković", "Matić", "Milenković", "Milić", "Milojević",
        "Milošević", "Mitić", "Mladenović", "Nedeljković", "Nikolić", "Novaković", "Pavlović",
        "Perić", "Petković", "Petrović", "Popović", "Radić", "Radovanović", "Rakić", "Rašić",
        "Ristić", "Savić", "Simić", "Spasić", "Stanković", "Stević", "Stojanović", "Stojković",
        "Tasić", "Todorović", "Trajković", "Trifunović", "Vasić", "Veljković", "Vučković",
        "Vuković", "Zdravković", "Živković",
    ),
)  # fmt: skip

BOSNIAK = NamePool(
    male=(
        "Adnan", "Alen", "Almir", "Amir", "Armin", "Damir", "Edin", "Elvir", "Emir", "Enes",
        "Ermin", "Haris", "Jasmin", "Kenan", "Mirza", "Muhamed", "Nedim", "Nermin", "Samir",
        "Sead", "Senad", "Suad", "Tarik",
    ),
    female=(
        "Adela", "Aida", "Ajla", "Alma", "Amela", "Amina", "Azra", "Belma", "Dženana", "Edina",
        "Elma", "Emina", "Lejla", "Medina", "Merima", "Mirela", "Nermina", "Sabina", "Sanela",
        "Selma", "Zerina",
    ),
    family=(
        "Bajrović", "Begić", "Ćosović", "Delić", "Dreković", "Hadžić", "Hodžić", "Kardović",
        "Kurtović", "Mehmedović", "Mujić", "Nurković", "Omerović", "Osmanović", "Pepić",
        "Redžepagić", "Salihović", "Sejdić", "Šabović", "Zećirović",
    ),
)  # fmt: skip

TURKISH = NamePool(
    male=(
        "Ahmet", "Ali", "Burak", "Cem", "Emre", "Erdem", "Erkan", "Fatih", "Hakan", "Kemal",
        "Mehmet", "Murat", "Mustafa", "Orhan", "Serkan", "Tarkan", "Yusuf", "Zeki",
    ),
    female=(
        "Aylin", "Ayşe", "Ebru", "Elif", "Emine", "Fatma", "Gül", "Hatice", "Leyla", "Melek",
        "Nermin", "Seda", "Selin", "Sevim", "Şükriye", "Yasemin", "Zeynep",
    ),
    family=(
        "Arslan", "Baki", "Çollak", "Damka", "Demir", "Doğan", "Kaya", "Kervan", "Kılıç",
        "Sipahi", "Şinik", "Vezir", "Yağcılar", "Yıldız",
    ),
)  # fmt: skip

ROMA = NamePool(
    male=(
        "Agush", "Avdija", "Bajram", "Bedri", "Bekim", "Demir", "Džemo", "Hajrush", "Ismet",
        "Muhamet", "Nezir", "Ramadan", "Sabit", "Sejdi", "Selami",
    ),
    female=(
        "Elmaze", "Fatima", "Hajrije", "Hava", "Ljatifa", "Mejrema", "Nurije", "Ramiza",
        "Sabrije", "Sebiha", "Senada", "Zumreta",
    ),
    family=(
        "Ajeti", "Asani", "Avdić", "Bajramović", "Demirović", "Durmiši", "Kurteshi", "Mustafa",
        "Osmani", "Redžepi", "Sejdiu",
    ),
)  # fmt: skip

ASHKALI = NamePool(
    male=(
        "Bajrush", "Burim", "Daut", "Driton", "Fadil", "Gani", "Haki", "Mevlud", "Naser",
        "Osman", "Qazim", "Sami",
    ),
    female=(
        "Fikrije", "Ganimete", "Hajrije", "Lirije", "Lumturije", "Mirvete", "Naxhije", "Sabiha",
        "Shehide", "Shpresa",
    ),
    family=(
        "Ahmeti", "Avdiu", "Beqiri", "Berisha", "Gashi", "Hajdini", "Haziri", "Krasniqi",
        "Qerimi", "Sadiku",
    ),
)  # fmt: skip

EGYPTIAN = NamePool(
    male=(
        "Agim", "Bashkim", "Fatmir", "Ismet", "Nazmi", "Sadri", "Sokol", "Shaban", "Xhemajl",
        "Zenun",
    ),
    female=(
        "Fatime", "Hatixhe", "Merita", "Nexhmije", "Sevdije", "Valbona", "Vjollca", "Xhevrije",
    ),
    family=(
        "Berisha", "Bllaca", "Çitaku", "Gashi", "Hysenaj", "Kelmendi", "Krasniqi", "Mazreku",
        "Rama",
    ),
)  # fmt: skip

NAMES: Mapping[str, NamePool] = MappingProxyType(
    {
        "albanian": ALBANIAN,
        "serb": SERB,
        "bosniak": BOSNIAK,
        "turkish": TURKISH,
        "roma": ROMA,
        "ashkali": ASHKALI,
        "egyptian": EGYPTIAN,
        # Gorani names are close to Bosniak ones; Montenegrins carry Serbian-style names.
        "gorani": BOSNIAK,
        "montenegrin": SERB,
    }
)
"""Name pools by community code (the codes of ``places/data/communities.csv``)."""


def pool_for(community: str) -> NamePool:
    """The names of a community; communities without a list of their own get Albanian names."""
    return NAMES.get(community, ALBANIAN)


_ASCII_SPECIAL = {"đ": "dj", "Đ": "Dj", "ı": "i", "İ": "I"}


def ascii_fold(text: str) -> str:
    """The name as typed on a keyboard without local letters ("Arbër" -> "Arber", "Đorđe" ->
    "Djordje"): how many sign-in sheets were transcribed."""
    text = "".join(_ASCII_SPECIAL.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)
