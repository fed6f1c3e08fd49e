"""Large pools of real names of Kosovo's communities, for the synthetic linkage benchmark.

:mod:`akt.demo.names` holds some 65 names a list, enough for a demo but far too few for a
benchmark of a million records: with them most people would share given name, family name and
municipality with someone else, which is not how Kosovo's population looks. These lists hold
several hundred real names each, in their standard spelling (Albanian with ë and ç; Serbian and
Bosniak in Serbian Latin with č, ć, đ, š, ž; Turkish in Turkish orthography). They include every
name of the demo lists.

Each list is ordered from the most to the least common name, roughly:
:mod:`akt.testing.linkage_synthetic` weights a name by its position (a Zipf-like skew), so Krasniqi,
Gashi and Berisha, or Jovanović, Petrović and Nikolić, come up far more often than the names at the
end of the lists. The order is
an approximation from common knowledge of the names, not a count from a register.

Roma, Ashkali and Egyptian families in Kosovo mostly carry Albanian, Serbian, Bosniak or Turkish
(Muslim) names, so their lists overlap with the larger ones; Roma names are given partly in
Serbian Latin spelling, as Roma in Serb-majority places write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from akt.demo.names import NamePool

__all__ = ["ALBANIAN", "ASHKALI", "BOSNIAK", "EGYPTIAN", "NAMES", "ROMA", "SERB", "TURKISH"]


def _names(text: str) -> tuple[str, ...]:
    """The whitespace-separated names of ``text``, in order (no name holds a space)."""
    names = tuple(text.split())
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"names listed twice: {sorted(duplicates)}")
    return names


ALBANIAN = NamePool(
    male=_names("""
        Muhamet Bekim Agim Arben Ilir Afrim Besnik Fatmir Naim Driton Valon Burim Blerim Avni
        Bajram Enver Fadil Shaban Ramadan Xhevdet Adem Agron Artan Arbër Arianit Armend Ardian
        Astrit Besim Betim Dardan Egzon Endrit Ermal Faton Fisnik Fitim Flamur Florent Gazmend
        Gëzim Granit Hajdar Halil Hysen Idriz Isa Jeton Kastriot Kreshnik Kujtim Labinot Lavdim
        Leutrim Liridon Lulzim Mentor Nexhat Petrit Qëndrim Rexhep Rinor Sabri Shkëlzen Shpëtim
        Skënder Visar Ylber Ymer Zenel Alban Ahmet Ali Arsim Arlind Ardit Alush Albert Arif
        Avdullah Azem Bashkim Bedri Behxhet Bajrush Bardhyl Beqir Bujar Bislim Blendi Blerton
        Dritan Dren Drilon Edmond Emin Ermir Erion Fahri Fatos Fehmi Ferat Fetah Feti Florim Gani
        Gentrit Genc Gent Gjergj Gjon Hajredin Haki Hamdi Hasan Haxhi Hekuran Hilmi Hysni Ibrahim
        Ismet Ismail Isuf Jakup Jetmir Kadri Kemajl Kushtrim Latif Lirim Lorik Luan Mehmet Mërgim
        Milaim Murat Mustafa Nazmi Naser Nehat Nezir Nuhi Nysret Omer Osman Pajazit Qazim Ragip
        Rahim Ramiz Rasim Refik Rifat Rilind Rrahman Rron Sadik Sadri Salih Sali Sami Selim Selman
        Sejdi Shefqet Shemsi Shkumbin Shpend Sokol Sylejman Tahir Taulant Uran Valdrin Valmir
        Vehbi Veton Xhafer Xhemajl Xhevat Ylli Yll Zeqir Zenun Zymer Bahri Bekir Besart Daut
        Dukagjin Edon Erblin Erzen Fikri Hajrush Halim Hamit Hashim Ilaz Ilmi Jashar Kamer Mahmut
        Mehdi Mevlud Milazim Mursel Muharrem Musa Nexhmedin Nazif Nuredin Qamil Qerim Riza Rustem
        Sabit Safet Sahit Shaqir Sherif Shyqeri Smajl Sinan Tefik Veli Vesel Xhelal Xhavit
        Zejnullah Zef Agon Altin Arian Auron Behar Besar Besfort Blend Diar Drin Etnik Festim
        Krenar Lorent Lum Trim Vigan Arbnor Donat Feriz Imer Fazli
    """),
    female=_names("""
        Fatime Shpresa Drita Merita Lindita Valbona Vjosa Arta Besa Blerina Teuta Mimoza Hana
        Fitore Fjolla Arbenita Albana Ardita Arjeta Besarta Besjana Blerta Dafina Diellza Donika
        Drenusha Edona Egzona Elira Elvira Era Erza Fatmire Floriana Flutura Ganimete Gentiana
        Hyrije Ilirjana Jehona Kaltrina Kimete Lirije Liridona Luljeta Lumnije Majlinda Mihrije
        Mirlinda Nazmije Nexhmije Nora Qëndresa Remzije Rina Rrezarta Saranda Sevdije Shqipe
        Valdete Vlora Xhevahire Yllka Zana Zyrafete Agnesa Adelina Afërdita Alberta Albina
        Albulena Alketa Antigona Ardiana Arbnora Ariana Arlinda Bahrije Bardha Bedrije Behije
        Bukurije Besiana Blerona Bleona Dhurata Dardana Dashurije Elona Elmedina Emine Ermira
        Fahrije Fatbardha Fatjona Fetije Fikrije Fitnete Florentina Florije Gresa Gonxhe Hajrije
        Halime Hatixhe Hava Hidajete Hysnije Ibadete Ikballe Ilire Jeta Kadrije Kosovare Kumrije
        Laura Leonora Lumturije Lule Makfire Marigona Melihate Miradije Mirjeta Mirvete Myrvete
        Nafije Naxhije Nerimane Nimete Njomza Nurije Pranvera Qamile Rabije Rahime Rajmonda
        Rezarta Sabrije Safete Sanije Sara Sebahate Selvije Shehide Shemsije Shkurte Shqiponja
        Sihana Tringa Trëndelina Vesa Violeta Vjollca Xhemile Xhevrije Yllza Zahide Zylfije
        Zymrete Dorentina Donjeta Edita Elmaze Flaka Floresha Lendita Lumbardha Nita Valmira
        Zamira Zenepe Ylfete Fexhrije Hamide Hanife Igballe Kadire Mejreme Miranda Nazlije
        Nezaqete Qefsere Resmije Sabahete Sadije Shyhrete Sofije Valentina Xhyle Arbresha Blertina
        Drilona Erëza Hasime Lirona Shefkije Sheqere Vlera Xheneta Zeqije Aurora Besmira Dita
    """),
    family=_names("""
        Krasniqi Gashi Berisha Morina Shala Hoxha Bytyqi Kastrati Rexhepi Ahmeti Hasani Hyseni
        Kelmendi Mustafa Sylejmani Zeqiri Osmani Bajrami Rama Thaçi Jashari Halili Maliqi Salihu
        Hajdari Haliti Mehmeti Ibrahimi Avdiu Kryeziu Aliu Beqiri Sadiku Shehu Selimi Ismaili
        Ramadani Hoti Musliu Syla Veseli Limani Kurti Uka Haxhiu Dervishi Imeri Islami Kabashi
        Halimi Qerimi Sejdiu Tahiri Xhaferi Ymeri Zymberi Rexha Bekteshi Bislimi Demaj Dugolli
        Gërguri Kuçi Lushtaku Mazreku Avdyli Ademi Ajeti Alimi Aliti Arifi Asllani Azemi
        Bajraktari Balaj Bala Baftiu Bardhi Begolli Behluli Bekaj Blakaj Bllaca Bunjaku Buja
        Bujupi Cakaj Cena Çitaku Çeku Çollaku Dauti Deda Dedaj Demiri Dobra Doli Dreshaj Dushi
        Elezi Emini Fazliu Fejza Fetahu Gacaferri Gjinovci Gjonbalaj Gjoka Gjokaj Gervalla Hajrizi
        Hajdini Hajzeri Haradinaj Hamiti Hasi Haziri Hetemi Hamza Hysenaj Ibishi Idrizi Iseni
        Isufi Istrefi Jakupi Januzi Jahiu Jusufi Kadriu Kajtazi Kamberi Kasumi Kadolli Kallaba
        Kërveshi Kodra Konjufca Kqiku Kukaj Kurteshi Latifi Lila Lladrovci Llapashtica Loshaj Lumi
        Luzha Maloku Mehmetaj Mehaj Memeti Miftari Muja Mulaj Mulliqi Murati Muriqi Murseli Musa
        Mustafaj Nikçi Nimani Nuhiu Nushi Olluri Osmanaj Pacolli Paçarizi Pllana Prekazi Pula
        Qorri Rahmani Ramaj Raci Rrustemi Rugova Rexhaj Sadrija Sahiti Sefa Selmani Shabani
        Shahini Shatri Shaqiri Shkodra Shllaku Spahiu Sopjani Statovci Sulejmani Sopi Tahiraj Tafa
        Tmava Topalli Ukaj Vitia Vokshi Xhemajli Xhemaili Xhelili Ymeraj Zejnullahu Zeka Zekaj
        Zogaj Zhuri Abazi Abdullahu Abdyli Agaj Agushi Ajdini Aliaj Avdullahu Bajgora Bajraj
        Bashota Behrami Bejta Beka Beqaj Berbati Binaku Bokshi Boshnjaku Brahimi Brahimaj Buzhala
        Byci Bylykbashi Cana Canolli Çela Dakaj Dalipi Daka Dema Demolli Dibrani Dobruna Doda
        Dragusha Durmishi Dushku Elshani Emërllahu Fejzullahu Ferizi Fetiu Gecaj Gërbeshi Gjikolli
        Gjocaj Gjonaj Govori Guri Haklaj Haskaj Hasanaj Haxhaj Hajdaraj Hajredini Hoxhaj Hulaj
        Ibrahimaj Iljazi Imami Ismajli Jahaj Jakupaj Jetishi Kaçaniku Kavaja Koliqi Korenica Kuqi
        Lekaj Lleshi Lokaj Mala Meha Mekaj Memaj Metaj Mjeku Muhaxheri Mulaku Mulolli Murtezi
        Musaj Nura Nuredini Nuri Nuka Neziri Qela Qosja Rahimi Ramosaj Raka Rashiti Reçica
        Rizvanolli Rraci Rrahmani Rushiti Sahatçiu Salihaj Sallahu Selimaj Shehaj Shkreli Sinani
        Smajli Surroi Sylaj Tërnava Tolaj Tusha Ukshini Vala Vela Veliu Vranovci Xhafa Xhaka Xhema
        Xhymshiti Zabeli Zajmi Zenuni Zeqiraj Zhubi Alushi Ibraimi Jashanica Lajçi Bicaj Mehmedi
        Bujari Kiçmari Kikaj Kursani Grajçevci Hodaj Limaj Ahmetaj Geci Ferati Gjeloshi Marku
        Mahmuti Sherifi Salihi Preniqi Hajrullahu Bejtullahu Hetemaj Hamzaj Sokoli Bekolli Mustafi
        Jonuzi
    """),
)

SERB = NamePool(
    male=_names("""
        Dragan Zoran Goran Milan Nenad Dejan Nebojša Saša Srđan Marko Nikola Stefan Miloš Dušan
        Aleksandar Bojan Darko Ivan Jovan Slobodan Miroslav Vladimir Predrag Dragoljub Živojin
        Milorad Milovan Milutin Miodrag Mladen Momčilo Nemanja Novica Obrad Ognjen Petar Rade
        Radomir Radoš Ratko Slaviša Stevan Strahinja Uroš Veljko Vladan Vojislav Vuk Žarko Željko
        Aleksa Boban Bogdan Borislav Branislav Branko Čedomir Dalibor Danijel Dimitrije Dobrivoje
        Dragiša Đorđe Igor Lazar Ljubiša Andrija Blagoje Bogoljub Borivoje Boško Božidar Branimir
        Budimir Cvetko Danilo David Dobrosav Dragomir Dragutin Duško Filip Gavrilo Gojko Gradimir
        Ilija Jakov Janko Jovica Kosta Krsta Luka Ljubomir Ljubinko Života Matija Miladin Milenko
        Mile Miloje Milivoje Miljan Milomir Milun Mirko Mitar Miomir Momir Nedeljko Novak Pavle
        Perica Radiša Radivoje Radoslav Radovan Rajko Ranko Ratomir Sava Savo Siniša Slavko Sreten
        Srećko Stanko Stanimir Stojan Stojadin Svetislav Svetozar Tihomir Tomislav Trajko Tanasije
        Uglješa Velimir Veselin Vidoje Vitomir Vladica Vladislav Vladeta Vlastimir Vojin Vukašin
        Zdravko Zlatko Živko Dobrica Dragoslav Ivica Konstantin Marjan Mihajlo Milisav Milosav
        Miroljub Radenko Simo Srboljub Todor Toma Trifun Vasilije Vojkan Danko Bratislav Anđelko
        Arsenije Dane Ljubodrag Mateja Jovo Lazo Miša Spasoje Stojko
    """),
    female=_names("""
        Jelena Milica Marija Dragana Snežana Gordana Ljiljana Jasmina Vesna Biljana Svetlana Ivana
        Mirjana Slavica Danijela Tatjana Jovana Aleksandra Ana Anđela Bojana Branka Danica Desanka
        Dijana Dragica Dušica Gorica Jasna Jelica Katarina Kristina Ljubica Marijana Marina Mila
        Milena Miroslava Nada Nataša Nevena Nikolina Olgica Olivera Radmila Ružica Sanja Slađana
        Sofija Sonja Spomenka Stana Stanislava Tamara Teodora Tijana Valentina Vera Verica Vladana
        Vukica Zorana Zorica Živana Anka Anica Andrijana Blagica Bogdana Borka Božana Branislava
        Cveta Dara Darinka Dobrila Dušanka Đurđa Emilija Gorana Hristina Jadranka Jagoda Jela
        Jelisaveta Jovanka Kosara Ksenija Lenka Ljubinka Magdalena Mara Marica Milanka Milka
        Milojka Miljana Milosava Mira Nadežda Natalija Nikoleta Nevenka Petra Radica Radojka Rada
        Ranka Sandra Simona Slavka Slobodanka Smilja Spasenija Stanka Stojanka Suzana Tanja Vida
        Vojislava Vukosava Zagorka Zlata Zora Zorka Žaklina Željka Živka Anastasija Angelina Dunja
        Iva Isidora Jana Lana Maša Mina Nina Nađa Sara Tara Vanja Dragoslava Divna Grozda Latinka
        Leposava Milunka Olga Persa Rosa Senka Vidosava Višnja Zvezdana Jasminka Biserka Dragojla
        Stojka
    """),
    family=_names("""
        Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović Milošević
        Popović Kostić Živković Todorović Ristić Mitić Trajković Simić Arsić Lazić Milenković
        Stefanović Dimitrijević Veljković Petković Perić Mladenović Vasić Nedeljković Tasić Denić
        Krstić Savić Spasić Antić Stojković Radovanović Milić Jović Janković Vuković Filipović
        Lazarević Ivanović Vučković Trifunović Zdravković Milojević Jevtić Đokić Cvetković
        Maksimović Matić Novaković Bogdanović Babić Rakić Rašić Radić Aksić Bojić Gligorijević
        Stević Jakšić Stevanović Bojović Božović Bošković Vukadinović Vujić Vujović Adamović
        Aleksić Anđelković Andrić Arsenijević Avramović Blagojević Bogićević Božić Branković Ćirić
        Ćosić Dačić Damjanović Davidović Dejanović Dinić Dragović Dragićević Dimić Dobrosavljević
        Đurić Đurđević Gajić Gavrilović Grujić Ignjatović Ivković Jakovljević Janićijević Jeremić
        Jokić Jeftić Kocić Kovačević Kojić Kuzmanović Lukić Marinković Marjanović Mihajlović
        Milanović Miletić Milićević Milovanović Milutinović Mirković Mišić Mitrović Momčilović
        Nešić Nestorović Nikodijević Ninković Obradović Pantić Pavić Perović Pešić Prokić
        Radenković Radosavljević Radojević Radulović Rajković Ranđelović Sekulić Simonović
        Stamenković Stanojević Stojiljković Stojić Tadić Tomić Tošić Urošević Vasiljević
        Veličković Vesić Vidić Vukašinović Vukićević Zlatković Zorić Živić Živanović Šarić Stolić
        Stanić Lalić Lazović Rakočević Stanišić Pejčinović Todosijević Đurović Šaponjić Pejić
        Milosavljević Kostadinović Stojadinović Tomašević Jovičić Vukotić Bjelić Ćirković Ćurčić
        Vukmirović Radivojević Spasojević Mijatović Stanimirović Cekić Manić Marić Nedić Panić
        Paunović Perišić Petronijević Rajić Sretenović Stepanović Stošić Terzić Tomović
        Veselinović Vidojević Vlajković Vojinović Zarić Zečević Zlatanović Živojinović Despotović
        Ranković Radojičić Radisavljević Ljubisavljević Ljubojević Atanasković Borisavljević
        Cvetanović Danilović Dragojević Jelić Matejić Mihailović Nenadović Simeunović Vidaković
        Vladisavljević Bogosavljević Andrejević Antonijević Đukić Mirić Grbić Gvozdenović
        Jelenković Jocić Kitanović Krstović Milojković Milovančević Minić Miljković Nikić Novković
        Pantelić Petrušić Pejović Prodanović Radičević Ristović Savković Sokolović Stamenović
        Stanojković Stojčić Tanasković Tošković Trajčević Vasković Vučetić Vuksanović Zdravić
        Živanić Bulatović Đukanović Lekić Dabić Čolić Ćulafić Golubović Grujičić Ivanković
        Jelisavčić Kalinić Kecman Kovač Lakić Mačkić Milačić Milanković Miličić Milinković
        Pavković Popadić Rajičić Sarić Sredojević Trivić Urić Vasović Vulović Zekić Žunić
        Ristanović Janjić Jovašević Stanojlović Glišić Gligorić Mirosavljević Ostojić Pavličić
        Rajović Radojković Simović Stojaković Vranić Živadinović Matović Luković Ognjanović Đorić
        Đuričić Cvijović Mijailović
    """),
)

BOSNIAK = NamePool(
    male=_names("""
        Muhamed Amir Emir Senad Samir Edin Adnan Almir Damir Elvir Jasmin Kenan Mirza Nedim Nermin
        Haris Tarik Enes Ermin Armin Alen Sead Suad Adis Admir Ahmed Ajdin Alija Amel Anel Asmir
        Benjamin Belmin Dino Dženan Džemal Edis Elmir Emin Emrah Eldin Enis Ervin Fahrudin Faruk
        Fikret Hamza Hasan Husein Ibrahim Irfan Ismet Izet Jusuf Kemal Mensur Mirsad Muamer
        Mustafa Nihad Nijaz Omer Osman Rasim Refik Safet Salih Semir Sulejman Šefik Zijad Zlatan
        Hajrudin Hamdija Muharem Ramiz Sabahudin Sanel Eldar Ensar Amar Adem Faris Kerim Esad
        Ekrem Redžep
    """),
    female=_names("""
        Amina Lejla Emina Azra Selma Aida Alma Amela Belma Dženana Edina Elma Medina Merima Mirela
        Nermina Sabina Sanela Zerina Adela Ajla Adisa Aldina Almedina Amra Armina Asja Aldijana
        Belkisa Džana Džemila Elmedina Emira Enisa Ermina Esma Fadila Fatima Hajra Hana Hatidža
        Indira Irma Jasmina Kanita Lamija Maida Mediha Melisa Merjema Minela Mirsada Munira Nadira
        Naida Nejra Razija Sabaheta Sadeta Safija Samira Senada Senita Suada Šejla Šemsa Zehra
        Zineta Fahreta Hajrija Dženita Elvira Mersiha Sabiha
    """),
    family=_names("""
        Hodžić Hadžić Begić Delić Mujić Kurtović Mehmedović Omerović Osmanović Salihović Sejdić
        Šabović Zećirović Bajrović Ćosović Dreković Kardović Nurković Pepić Redžepagić Alić Avdić
        Ademović Ahmetović Alibegović Bajramović Bećirović Begović Beganović Bešić Bešlagić
        Crnovršanin Ćatović Čolaković Dedić Delalić Dervišević Džafić Džananović Đonlagić Fazlić
        Fejzić Halilović Hamidović Hasanović Hasić Husić Husović Huseinović Ibrahimović Imamović
        Isaković Ismailović Jašarević Kadić Kalač Kolašinac Kurtagić Ljajić Ljuca Mahmutović Mehić
        Memić Muratović Mušović Mustafić Omeragić Osmanagić Pašić Ramović Redžić Redžović
        Sadiković Selimović Smajić Softić Suljić Šahović Šaćirović Šehović Škrijelj Tahirović
        Tutić Zukić Zukorlić Kasumović Mujanović Mulić Hajdarević Hajrović Hamzić Hukić Ibišević
        Jusufović Kadrić Karić Mešić Mujkić Numanović Purišević Rastoder Ramić Rizvanović
        Sinanović Skenderović Sulejmanović Šabanović Šehić Tabaković Dautović Hadrović Agović
        Dizdarević Duraković Džanković Kujović Ćorović Adrović Mujezinović Ferhatović Hrustemović
        Latić Ličina Pačariz Muminović Nuhanović Agić Bihorac
    """),
)

TURKISH = NamePool(
    male=_names("""
        Mehmet Ahmet Mustafa Ali Hasan Hüseyin İbrahim Yusuf Murat Kemal Orhan Osman Ömer Halil
        Süleyman Recep Ramazan Salih Selim Fatih Emre Burak Cem Erdem Erkan Hakan Serkan Tarkan
        Zeki Abdullah Adnan Arif Bekir Cengiz Ercan Erol Eyüp Faruk Gökhan Hamdi Hikmet Kadir
        Kenan Metin Necati Nihat Okan Onur Rıza Sami Sedat Tahir Taner Tayfun Uğur Volkan Yakup
        Yaşar Zafer Şükrü Levent Tuncay İsmail
    """),
    female=_names("""
        Emine Fatma Ayşe Hatice Zeynep Elif Leyla Aylin Ebru Gül Melek Nermin Seda Selin Sevim
        Şükriye Yasemin Ayten Aysel Belgin Burcu Büşra Canan Derya Dilek Esra Filiz Gülay Gülsüm
        Hülya Hacer Hanife Havva Merve Meryem Nazife Nesrin Nurten Özlem Pınar Rabia Saadet Sabiha
        Sevgi Songül Şerife Tuğba Türkan Zehra Zübeyde Cemile Nuray Gönül Sibel Serpil
    """),
    family=_names("""
        Yıldız Kaya Demir Doğan Arslan Çelik Şahin Yılmaz Öztürk Aydın Özdemir Kılıç Çetin Kara
        Koç Kurt Özkan Şimşek Polat Erdoğan Yavuz Aksoy Güneş Tekin Bulut Korkmaz Ateş Karaca Özer
        Acar Aydoğan Avcı Bozkurt Çakır Eren Erdem Güler Keskin Kaplan Karakaya Ünal Uçar Yiğit
        Yüksel Sarı Tunç Türk Coşkun Altun Akın Akbulut Akgül Tan Işık Gül Sönmez Tuncer Toprak
        Taş Çiftçi Duman Kahraman Ekinci Oğuz Önder Gündüz Kalkan Köse Metin Ergin Şen Baki Çollak
        Damka Kervan Sipahi Şinik Vezir Yağcılar Aslan Cengiz Erol Özbek Kocabaş Yalçın Yazıcı
        Başaran Uysal Bayram
    """),
)

ROMA = NamePool(
    male=_names("""
        Bajram Muhamet Ramadan Bekim Sejdi Agush Avdija Bedri Demir Džemo Hajrush Ismet Nezir
        Sabit Selami Elvis Šaban Dževdet Jašar Redžep Muharem Ramiz Adem Ali Enver Fikret Hasan
        Husein Jusuf Kemal Mustafa Osman Remzi Rustem Safet Salih Samir Senad Zenel Dragan Goran
        Zoran Nenad Dejan Saša Ibrahim Sadik Nedžat Bajrush Gani
    """),
    female=_names("""
        Fatima Hava Nurije Sabrije Ramiza Elmaze Hajrije Ljatifa Mejrema Sebiha Senada Zumreta
        Emina Jasmina Medina Nermina Sanela Safija Sevdija Suzana Zuhra Ajša Fatma Hanife Šemsa
        Samira Mirsada Zineta Esma Gordana Dragana Vesna Snežana Shpresa Drita Merita Fatime
        Ganimete Sevdije Hatixhe Nexhmije Valbona Lirije
    """),
    family=_names("""
        Bajramović Durmiši Redžepi Kurteshi Osmani Mustafa Asani Ajeti Avdić Demirović Sejdiu
        Berisha Gashi Krasniqi Ahmeti Bajrami Hasani Halimi Ibrahimi Ismaili Jashari Mehmeti
        Memeti Ramadani Rama Salihu Selimi Shabani Zeqiri Ademi Demiri Kurtishi Durmishi Tahiri
        Jovanović Nikolić Stojanović Petrović Marković Mitić Mustafić Selimović Ramić Ibrahimović
        Osmanović Šaćirović Hasanović Mehmedović Alić Hodžić Salihović Sejdić Jašarević Muratović
        Bećirović Halilović Kurtović Redžepović Bajrović Husić Smajić Šabanović Ademović Ahmetović
        Zećirović Hamidović Sulejmani Kelmendi Morina Hoxha Bytyqi Beqiri Sadiku Qerimi Haziri
        Hajdini Avdiu Mazreku Musliu Jusufi Emini Iseni Kamberi Latifi Murati Nuhiu Shehu Sinani
        Rexhepi
    """),
)

ASHKALI = NamePool(
    male=_names("""
        Bajram Muhamet Ramadan Bekim Naser Fadil Osman Driton Burim Bajrush Daut Gani Haki Mevlud
        Qazim Sami Agim Bashkim Fatmir Ismet Nazmi Sadri Sokol Shaban Xhemajl Zenun Avni Behxhet
        Besnik Elvis Enver Feriz Fehmi Gazmend Hysen Ilir Imer Ismail Jeton Kujtim Latif Mentor
        Milaim Naim Nexhat Rexhep Sabri Sadik Selim Shefqet Valon Xhevdet Ymer Zenel Qamil Nehat
        Isuf
    """),
    female=_names("""
        Fatime Shpresa Hajrije Lirije Sevdije Merita Drita Fikrije Ganimete Lumturije Mirvete
        Naxhije Sabiha Shehide Hatixhe Nexhmije Valbona Vjollca Xhevrije Lindita Mimoza Teuta Arta
        Besa Hava Sabrije Nurije Elmaze Hanife Xhemile Zahide Shkurte Hyrije Bukurije Remzije
        Mihrije Kimete Fitore Qëndresa Vlora Blerina Afërdita Bahrije Sanije Safete Nazmije
        Zyrafete
    """),
    family=_names("""
        Gashi Berisha Krasniqi Ahmeti Avdiu Beqiri Sadiku Qerimi Hajdini Haziri Bajrami Hasani
        Mustafa Rama Osmani Ademi Ajeti Alushi Avdyli Balaj Baftiu Bislimi Bytyqi Cakaj Demiri
        Dervishi Elshani Emini Fazliu Fejzullahu Fetahu Halili Haliti Hamiti Hoti Hoxha Hyseni
        Ibrahimi Imeri Ismajli Ismaili Jashari Kadriu Kastrati Kelmendi Kurteshi Latifi Limani
        Maliqi Mazreku Mehmeti Morina Murati Nuhiu Ramadani Rexhepi Salihu Sejdiu Selimi Shabani
        Shala Shehu Sylejmani Tahiri Uka Veseli Xhemajli Zeqiri Zymberi Jahiu Abazi Brahimi Dauti
        Iseni Kamberi Rrahmani Zenuni Zeqiraj Ukshini Mulaku Musliu Osmanaj Nura Bllaca Çitaku
        Hysenaj
    """),
)

EGYPTIAN = NamePool(
    male=_names("""
        Agim Bashkim Fatmir Ismet Shaban Sokol Nazmi Sadri Xhemajl Zenun Bajram Muhamet Ramadan
        Bekim Avni Besnik Driton Enver Fadil Gazmend Hysen Ilir Jeton Kujtim Mentor Naim Naser
        Nexhat Osman Rexhep Sabri Selim Skënder Valon Xhevdet Ymer Zenel Qamil Elvis Isuf Behxhet
        Burim Daut Feriz
    """),
    female=_names("""
        Fatime Merita Valbona Vjollca Nexhmije Sevdije Hatixhe Xhevrije Shpresa Drita Lindita
        Mimoza Teuta Arta Besa Hajrije Lirije Ganimete Fikrije Lumturije Mirvete Naxhije Sabiha
        Shehide Hava Sabrije Nurije Elmaze Hanife Xhemile Zahide Shkurte Hyrije Bukurije Remzije
        Mihrije Kimete Fitore Qëndresa Blerina Afërdita Sanije
    """),
    family=_names("""
        Berisha Gashi Krasniqi Kelmendi Bllaca Çitaku Hysenaj Mazreku Rama Bajrami Beqiri Hoxha
        Morina Shala Kryeziu Ahmeti Avdiu Sadiku Mustafa Osmani Hasani Hyseni Halili Haliti Demaj
        Dedaj Gjokaj Hasanaj Hoxhaj Imeraj Kukaj Lekaj Mehaj Mulaj Osmanaj Rexhaj Selimaj Shehaj
        Sylaj Tahiraj Ukaj Ymeraj Zeqiraj Zekaj Haxhaj Gecaj Balaj Bekaj Kastrati Rexhepi Zeqiri
        Sylejmani Ibrahimi Ismaili Jashari Mehmeti Ramadani Salihu Selimi Shehu Tahiri Uka Veseli
        Limani Maliqi Qerimi Dervishi Musliu Kurti Hoti Syla Imeri Kabashi Halimi Sejdiu Emini
        Fetahu Kamberi Latifi Murati Nura
    """),
)

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
"""Name pools by community code, the same codes as :data:`akt.demo.names.NAMES`."""
