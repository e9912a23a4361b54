"""A small English->German grammar that writes the course's translation pairs.

Real corpora are big, noisy and full of words a lunch-time model sees once.
This module writes its own sentence pairs instead: a few hundred everyday
words, a handful of real German grammar rules, and a seed, so every notebook
sees the same data on every machine.

The rules are the ones that make German hard to translate word by word:

* nouns have a gender, and articles and adjectives change with gender,
  number and case: "der große Hund", "den großen Hund", "mit einem großen Hund";
* the finite verb is the second part of a main clause, whatever comes first:
  "Heute kauft der Mann den Kuchen" for "Today the man buys the cake";
* after "weil", "dass", "wenn" and "obwohl" it moves to the end of its clause;
* separable verbs split in main clauses and join again at the end:
  "Der Mann ruft die Frau an", "..., weil der Mann die Frau anruft".

A word-for-word dictionary (see `lexicon`) gets the words right and the
sentence wrong; a small seq2seq model or transformer has to learn the rules
from twenty thousand examples. Each `Pair` also records its noun phrases and
clauses, so tests and lessons can point at the grammar behind a sentence.

    splits = make_splits()    # 20,000 train, 1,000 valid, 4 x 100 test pairs
    splits.train[0].en, splits.train[0].de
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((3, 7), (8, 12), (13, 17), (18, 25))

# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------

# Nouns: English singular and plural, German singular and plural, gender, kinds.
# Mass nouns ("milk", "Milch") have no plural: no "a", no "-s".
# Kinds say which verbs and adjectives fit a noun; the letters are
#   p person  a animal  f food  d drink  t thing to hold, buy or give
#   c clothes  x text to read  y story to tell  s song  o thing to open
#   e thing to switch on  v vehicle  l place  r room to tidy
#   b baked food  k cooked food
_NOUNS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # people
    ("man", "men", "Mann", "Männer", "m", "p"),
    ("woman", "women", "Frau", "Frauen", "f", "p"),
    ("child", "children", "Kind", "Kinder", "n", "p"),
    ("boy", "boys", "Junge", "Jungen", "m", "p"),
    ("girl", "girls", "Mädchen", "Mädchen", "n", "p"),
    ("baby", "babies", "Baby", "Babys", "n", "p"),
    ("person", "people", "Mensch", "Menschen", "m", "p"),
    ("friend", "friends", "Freund", "Freunde", "m", "p"),
    ("family", "families", "Familie", "Familien", "f", "p"),
    ("mother", "mothers", "Mutter", "Mütter", "f", "p"),
    ("father", "fathers", "Vater", "Väter", "m", "p"),
    ("sister", "sisters", "Schwester", "Schwestern", "f", "p"),
    ("brother", "brothers", "Bruder", "Brüder", "m", "p"),
    ("grandmother", "grandmothers", "Großmutter", "Großmütter", "f", "p"),
    ("grandfather", "grandfathers", "Großvater", "Großväter", "m", "p"),
    ("uncle", "uncles", "Onkel", "Onkel", "m", "p"),
    ("aunt", "aunts", "Tante", "Tanten", "f", "p"),
    ("neighbour", "neighbours", "Nachbar", "Nachbarn", "m", "p"),
    ("teacher", "teachers", "Lehrer", "Lehrer", "m", "p"),
    ("pupil", "pupils", "Schüler", "Schüler", "m", "p"),
    ("student", "students", "Student", "Studenten", "m", "p"),
    ("doctor", "doctors", "Arzt", "Ärzte", "m", "p"),
    ("cook", "cooks", "Koch", "Köche", "m", "p"),
    ("baker", "bakers", "Bäcker", "Bäcker", "m", "p"),
    ("farmer", "farmers", "Bauer", "Bauern", "m", "p"),
    ("driver", "drivers", "Fahrer", "Fahrer", "m", "p"),
    ("waiter", "waiters", "Kellner", "Kellner", "m", "p"),
    ("policeman", "policemen", "Polizist", "Polizisten", "m", "p"),
    ("king", "kings", "König", "Könige", "m", "p"),
    ("queen", "queens", "Königin", "Königinnen", "f", "p"),
    ("guest", "guests", "Gast", "Gäste", "m", "p"),
    ("customer", "customers", "Kunde", "Kunden", "m", "p"),
    ("colleague", "colleagues", "Kollege", "Kollegen", "m", "p"),
    ("boss", "bosses", "Chef", "Chefs", "m", "p"),
    ("tourist", "tourists", "Tourist", "Touristen", "m", "p"),
    ("artist", "artists", "Künstler", "Künstler", "m", "p"),
    ("singer", "singers", "Sänger", "Sänger", "m", "p"),
    ("thief", "thieves", "Dieb", "Diebe", "m", "p"),
    # animals
    ("dog", "dogs", "Hund", "Hunde", "m", "a"),
    ("cat", "cats", "Katze", "Katzen", "f", "a"),
    ("horse", "horses", "Pferd", "Pferde", "n", "a"),
    ("bird", "birds", "Vogel", "Vögel", "m", "a"),
    ("mouse", "mice", "Maus", "Mäuse", "f", "a"),
    ("cow", "cows", "Kuh", "Kühe", "f", "a"),
    ("pig", "pigs", "Schwein", "Schweine", "n", "a"),
    ("sheep", "sheep", "Schaf", "Schafe", "n", "a"),
    ("goat", "goats", "Ziege", "Ziegen", "f", "a"),
    ("donkey", "donkeys", "Esel", "Esel", "m", "a"),
    ("duck", "ducks", "Ente", "Enten", "f", "a"),
    ("chicken", "chickens", "Huhn", "Hühner", "n", "a"),
    ("rabbit", "rabbits", "Kaninchen", "Kaninchen", "n", "a"),
    ("fish", "fish", "Fisch", "Fische", "m", "afk"),
    ("frog", "frogs", "Frosch", "Frösche", "m", "a"),
    ("snake", "snakes", "Schlange", "Schlangen", "f", "a"),
    ("bee", "bees", "Biene", "Bienen", "f", "a"),
    ("hedgehog", "hedgehogs", "Igel", "Igel", "m", "a"),
    ("fox", "foxes", "Fuchs", "Füchse", "m", "a"),
    ("wolf", "wolves", "Wolf", "Wölfe", "m", "a"),
    ("bear", "bears", "Bär", "Bären", "m", "a"),
    ("lion", "lions", "Löwe", "Löwen", "m", "a"),
    ("tiger", "tigers", "Tiger", "Tiger", "m", "a"),
    ("monkey", "monkeys", "Affe", "Affen", "m", "a"),
    ("elephant", "elephants", "Elefant", "Elefanten", "m", "a"),
    ("giraffe", "giraffes", "Giraffe", "Giraffen", "f", "a"),
    ("penguin", "penguins", "Pinguin", "Pinguine", "m", "a"),
    ("tortoise", "tortoises", "Schildkröte", "Schildkröten", "f", "a"),
    # food
    ("cake", "cakes", "Kuchen", "Kuchen", "m", "fb"),
    ("biscuit", "biscuits", "Keks", "Kekse", "m", "fb"),
    ("pancake", "pancakes", "Pfannkuchen", "Pfannkuchen", "m", "fbk"),
    ("roll", "rolls", "Brötchen", "Brötchen", "n", "fb"),
    ("pizza", "pizzas", "Pizza", "Pizzas", "f", "fb"),
    ("bread", "", "Brot", "", "n", "fb"),
    ("apple", "apples", "Apfel", "Äpfel", "m", "f"),
    ("pear", "pears", "Birne", "Birnen", "f", "f"),
    ("banana", "bananas", "Banane", "Bananen", "f", "f"),
    ("orange", "oranges", "Orange", "Orangen", "f", "f"),
    ("lemon", "lemons", "Zitrone", "Zitronen", "f", "f"),
    ("cherry", "cherries", "Kirsche", "Kirschen", "f", "f"),
    ("strawberry", "strawberries", "Erdbeere", "Erdbeeren", "f", "f"),
    ("nut", "nuts", "Nuss", "Nüsse", "f", "f"),
    ("tomato", "tomatoes", "Tomate", "Tomaten", "f", "fk"),
    ("potato", "potatoes", "Kartoffel", "Kartoffeln", "f", "fk"),
    ("carrot", "carrots", "Karotte", "Karotten", "f", "fk"),
    ("onion", "onions", "Zwiebel", "Zwiebeln", "f", "fk"),
    ("egg", "eggs", "Ei", "Eier", "n", "fk"),
    ("sausage", "sausages", "Wurst", "Würste", "f", "fk"),
    ("salad", "salads", "Salat", "Salate", "m", "f"),
    ("soup", "", "Suppe", "", "f", "fk"),
    ("rice", "", "Reis", "", "m", "fk"),
    ("meat", "", "Fleisch", "", "n", "fk"),
    ("cheese", "", "Käse", "", "m", "f"),
    ("butter", "", "Butter", "", "f", "f"),
    ("honey", "", "Honig", "", "m", "f"),
    ("jam", "", "Marmelade", "", "f", "f"),
    ("chocolate", "", "Schokolade", "", "f", "f"),
    ("yoghurt", "", "Joghurt", "", "m", "f"),
    # drinks
    ("coffee", "", "Kaffee", "", "m", "d"),
    ("tea", "", "Tee", "", "m", "d"),
    ("cocoa", "", "Kakao", "", "m", "d"),
    ("milk", "", "Milch", "", "f", "d"),
    ("water", "", "Wasser", "", "n", "d"),
    ("juice", "", "Saft", "", "m", "d"),
    ("lemonade", "", "Limonade", "", "f", "d"),
    ("beer", "", "Bier", "", "n", "d"),
    ("wine", "", "Wein", "", "m", "d"),
    # things
    ("book", "books", "Buch", "Bücher", "n", "txo"),
    ("letter", "letters", "Brief", "Briefe", "m", "txo"),
    ("newspaper", "newspapers", "Zeitung", "Zeitungen", "f", "tx"),
    ("postcard", "postcards", "Postkarte", "Postkarten", "f", "tx"),
    ("poem", "poems", "Gedicht", "Gedichte", "n", "x"),
    ("story", "stories", "Geschichte", "Geschichten", "f", "xy"),
    ("joke", "jokes", "Witz", "Witze", "m", "y"),
    ("song", "songs", "Lied", "Lieder", "n", "s"),
    ("present", "presents", "Geschenk", "Geschenke", "n", "to"),
    ("box", "boxes", "Kiste", "Kisten", "f", "to"),
    ("bag", "bags", "Tasche", "Taschen", "f", "to"),
    ("bottle", "bottles", "Flasche", "Flaschen", "f", "to"),
    ("ball", "balls", "Ball", "Bälle", "m", "t"),
    ("key", "keys", "Schlüssel", "Schlüssel", "m", "t"),
    ("cup", "cups", "Tasse", "Tassen", "f", "t"),
    ("glass", "glasses", "Glas", "Gläser", "n", "t"),
    ("plate", "plates", "Teller", "Teller", "m", "t"),
    ("spoon", "spoons", "Löffel", "Löffel", "m", "t"),
    ("fork", "forks", "Gabel", "Gabeln", "f", "t"),
    ("knife", "knives", "Messer", "Messer", "n", "t"),
    ("pen", "pens", "Stift", "Stifte", "m", "t"),
    ("umbrella", "umbrellas", "Schirm", "Schirme", "m", "t"),
    ("picture", "pictures", "Bild", "Bilder", "n", "t"),
    ("photo", "photos", "Foto", "Fotos", "n", "t"),
    ("map", "maps", "Karte", "Karten", "f", "t"),
    ("ticket", "tickets", "Fahrkarte", "Fahrkarten", "f", "t"),
    ("toy", "toys", "Spielzeug", "Spielzeuge", "n", "t"),
    ("doll", "dolls", "Puppe", "Puppen", "f", "t"),
    ("game", "games", "Spiel", "Spiele", "n", "t"),
    ("flower", "flowers", "Blume", "Blumen", "f", "t"),
    ("ring", "rings", "Ring", "Ringe", "m", "t"),
    ("stone", "stones", "Stein", "Steine", "m", "t"),
    ("basket", "baskets", "Korb", "Körbe", "m", "t"),
    ("candle", "candles", "Kerze", "Kerzen", "f", "t"),
    ("blanket", "blankets", "Decke", "Decken", "f", "t"),
    ("pillow", "pillows", "Kissen", "Kissen", "n", "t"),
    ("coin", "coins", "Münze", "Münzen", "f", "t"),
    ("clock", "clocks", "Uhr", "Uhren", "f", "t"),
    ("chair", "chairs", "Stuhl", "Stühle", "m", "t"),
    ("table", "tables", "Tisch", "Tische", "m", "t"),
    ("bed", "beds", "Bett", "Betten", "n", "t"),
    ("money", "", "Geld", "", "n", "t"),
    ("phone", "phones", "Handy", "Handys", "n", "te"),
    ("computer", "computers", "Computer", "Computer", "m", "te"),
    ("camera", "cameras", "Kamera", "Kameras", "f", "te"),
    ("lamp", "lamps", "Lampe", "Lampen", "f", "te"),
    ("radio", "radios", "Radio", "Radios", "n", "te"),
    ("television", "televisions", "Fernseher", "Fernseher", "m", "e"),
    ("light", "lights", "Licht", "Lichter", "n", "e"),
    ("oven", "ovens", "Ofen", "Öfen", "m", "e"),
    ("door", "doors", "Tür", "Türen", "f", "o"),
    ("window", "windows", "Fenster", "Fenster", "n", "o"),
    ("fridge", "fridges", "Kühlschrank", "Kühlschränke", "m", "o"),
    # clothes
    ("coat", "coats", "Mantel", "Mäntel", "m", "c"),
    ("jacket", "jackets", "Jacke", "Jacken", "f", "c"),
    ("sweater", "sweaters", "Pullover", "Pullover", "m", "c"),
    ("dress", "dresses", "Kleid", "Kleider", "n", "c"),
    ("shirt", "shirts", "Hemd", "Hemden", "n", "c"),
    ("hat", "hats", "Hut", "Hüte", "m", "c"),
    ("cap", "caps", "Mütze", "Mützen", "f", "c"),
    ("scarf", "scarves", "Schal", "Schals", "m", "c"),
    ("shoe", "shoes", "Schuh", "Schuhe", "m", "c"),
    ("glove", "gloves", "Handschuh", "Handschuhe", "m", "c"),
    # vehicles
    ("car", "cars", "Auto", "Autos", "n", "vt"),
    ("bicycle", "bicycles", "Fahrrad", "Fahrräder", "n", "vt"),
    ("motorbike", "motorbikes", "Motorrad", "Motorräder", "n", "vt"),
    ("boat", "boats", "Boot", "Boote", "n", "vt"),
    ("bus", "buses", "Bus", "Busse", "m", "v"),
    ("train", "trains", "Zug", "Züge", "m", "v"),
    ("plane", "planes", "Flugzeug", "Flugzeuge", "n", "v"),
    ("tractor", "tractors", "Traktor", "Traktoren", "m", "v"),
    # places
    ("house", "houses", "Haus", "Häuser", "n", "lr"),
    ("garden", "gardens", "Garten", "Gärten", "m", "lr"),
    ("kitchen", "kitchens", "Küche", "Küchen", "f", "lr"),
    ("room", "rooms", "Zimmer", "Zimmer", "n", "lr"),
    ("bedroom", "bedrooms", "Schlafzimmer", "Schlafzimmer", "n", "lr"),
    ("bathroom", "bathrooms", "Bad", "Bäder", "n", "lr"),
    ("cellar", "cellars", "Keller", "Keller", "m", "lr"),
    ("garage", "garages", "Garage", "Garagen", "f", "lr"),
    ("office", "offices", "Büro", "Büros", "n", "lr"),
    ("classroom", "classrooms", "Klassenzimmer", "Klassenzimmer", "n", "lr"),
    ("shop", "shops", "Laden", "Läden", "m", "l"),
    ("supermarket", "supermarkets", "Supermarkt", "Supermärkte", "m", "l"),
    ("bakery", "bakeries", "Bäckerei", "Bäckereien", "f", "l"),
    ("pharmacy", "pharmacies", "Apotheke", "Apotheken", "f", "l"),
    ("restaurant", "restaurants", "Restaurant", "Restaurants", "n", "l"),
    ("hotel", "hotels", "Hotel", "Hotels", "n", "l"),
    ("cinema", "cinemas", "Kino", "Kinos", "n", "l"),
    ("museum", "museums", "Museum", "Museen", "n", "l"),
    ("library", "libraries", "Bibliothek", "Bibliotheken", "f", "l"),
    ("hospital", "hospitals", "Krankenhaus", "Krankenhäuser", "n", "l"),
    ("church", "churches", "Kirche", "Kirchen", "f", "l"),
    ("school", "schools", "Schule", "Schulen", "f", "l"),
    ("zoo", "zoos", "Zoo", "Zoos", "m", "l"),
    ("park", "parks", "Park", "Parks", "m", "l"),
    ("forest", "forests", "Wald", "Wälder", "m", "l"),
    ("city", "cities", "Stadt", "Städte", "f", "l"),
    ("village", "villages", "Dorf", "Dörfer", "n", "l"),
    ("station", "stations", "Bahnhof", "Bahnhöfe", "m", "l"),
    ("airport", "airports", "Flughafen", "Flughäfen", "m", "l"),
    ("beach", "beaches", "Strand", "Strände", "m", "l"),
    ("lake", "lakes", "See", "Seen", "m", "l"),
    ("river", "rivers", "Fluss", "Flüsse", "m", "l"),
    ("market", "markets", "Markt", "Märkte", "m", "l"),
    ("playground", "playgrounds", "Spielplatz", "Spielplätze", "m", "l"),
    ("street", "streets", "Straße", "Straßen", "f", "l"),
    ("bridge", "bridges", "Brücke", "Brücken", "f", "l"),
    ("field", "fields", "Feld", "Felder", "n", "l"),
    ("farm", "farms", "Bauernhof", "Bauernhöfe", "m", "l"),
    ("mountain", "mountains", "Berg", "Berge", "m", "l"),
)

# Weak masculine nouns add -n or -en everywhere but the nominative singular:
# "der Junge", "den Jungen", "dem Jungen". For all of these it is the plural form.
_WEAK_NOUNS = frozenset(
    ("Junge", "Mensch", "Nachbar", "Student", "Bauer", "Polizist", "Kunde")
    + ("Kollege", "Tourist", "Bär", "Löwe", "Affe", "Elefant")
)

# How to be at a place and how to get there, as (English, German) prepositions.
# "at" always takes the dative. "to" takes the accusative ("in den Park"),
# except "zu", which always takes the dative ("zum Bahnhof").
# Places not listed are _INSIDE.
_INSIDE = ("in", "in", "into", "in")
_PLACE_PREPS: dict[str, tuple[str, str, str, str]] = {
    "Schule": ("at", "in", "to", "zu"),
    "Apotheke": ("at", "in", "to", "zu"),
    "Bahnhof": ("at", "an", "to", "zu"),
    "Flughafen": ("at", "an", "to", "zu"),
    "Strand": ("on", "an", "to", "an"),
    "See": ("at", "an", "to", "an"),
    "Fluss": ("at", "an", "to", "an"),
    "Markt": ("at", "auf", "to", "auf"),
    "Spielplatz": ("on", "auf", "to", "auf"),
    "Straße": ("on", "auf", "to", "zu"),
    "Brücke": ("on", "auf", "to", "zu"),
    "Feld": ("in", "auf", "to", "zu"),
    "Bauernhof": ("on", "auf", "to", "zu"),
    "Berg": ("on", "auf", "to", "zu"),
}

# Adjectives: English, German stem (the form before an ending), kinds they fit.
_ADJECTIVES: tuple[tuple[str, str, str], ...] = (
    ("big", "groß", "paftcolve"),
    ("small", "klein", "paftcolve"),
    ("old", "alt", "patcxyslvoe"),
    ("new", "neu", "tcxyslvoe"),
    ("young", "jung", "pa"),
    ("long", "lang", "xycsl"),
    ("short", "kurz", "xycs"),
    ("heavy", "schwer", "t"),
    ("red", "rot", "tcvfo"),
    ("blue", "blau", "tcvo"),
    ("green", "grün", "tcvfo"),
    ("yellow", "gelb", "tcvfo"),
    ("black", "schwarz", "tcvoa"),
    ("white", "weiß", "tcvoa"),
    ("brown", "braun", "tcvoa"),
    ("grey", "grau", "tcvoa"),
    ("beautiful", "schön", "patcxslvo"),
    ("ugly", "hässlich", "atclv"),
    ("pretty", "hübsch", "pcl"),
    ("nice", "nett", "p"),
    ("good", "gut", "pfdxys"),
    ("bad", "schlecht", "fdxys"),
    ("cheap", "billig", "tcfdv"),
    ("expensive", "teur", "tcfdvl"),
    ("clean", "sauber", "tclvo"),
    ("dirty", "schmutzig", "tclvoa"),
    ("fresh", "frisch", "fd"),
    ("sweet", "süß", "fda"),
    ("hot", "heiß", "fd"),
    ("cold", "kalt", "fdl"),
    ("warm", "warm", "fdcl"),
    ("delicious", "lecker", "fd"),
    ("healthy", "gesund", "paf"),
    ("strong", "stark", "pad"),
    ("dry", "trocken", "cb"),
    ("wet", "nass", "ac"),
    ("soft", "weich", "c"),
    ("dark", "dunkl", "lc"),
    ("bright", "hell", "le"),
    ("empty", "leer", "lv"),
    ("full", "voll", "lv"),
    ("modern", "modern", "lvte"),
    ("fast", "schnell", "av"),
    ("slow", "langsam", "av"),
    ("quiet", "leis", "pav"),
    ("loud", "laut", "pavel"),
    ("famous", "berühmt", "plxs"),
    ("interesting", "interessant", "pxyl"),
    ("boring", "langweilig", "pxyl"),
    ("strange", "seltsam", "patxy"),
    ("funny", "lustig", "paxys"),
    ("sad", "traurig", "pas"),
    ("happy", "glücklich", "pa"),
    ("friendly", "freundlich", "pa"),
    ("angry", "wütend", "pa"),
    ("tired", "müd", "pa"),
    ("hungry", "hungrig", "pa"),
    ("sick", "krank", "pa"),
    ("clever", "klug", "pa"),
    ("lazy", "faul", "pa"),
    ("brave", "mutig", "pa"),
    ("shy", "schüchtern", "pa"),
    ("wild", "wild", "a"),
    ("rich", "reich", "p"),
    ("poor", "arm", "p"),
    ("polite", "höflich", "p"),
    ("proud", "stolz", "p"),
)

# Verbs: English base form, German infinitive ("|" marks a separable prefix),
# frame, subject kinds, object kinds, extras.
# Frames: "-" no object, "acc" accusative object, "dat" dative object,
#   "dat+acc" dative person and accusative thing ("gives the child the book"),
#   "to" goes somewhere, "that" takes a "dass" clause.
# Extras: L where ("in the park"), W with/without someone, B for someone,
#   F from someone, P from a place, ! needs a place,
#   S a state, not an action: no modal verb, adverb or phrase added.
_VERBS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("buy", "kaufen", "acc", "p", "fdtcx", "LWB"),
    ("eat", "essen", "acc", "pa", "f", "LW"),
    ("drink", "trinken", "acc", "pa", "d", "LW"),
    ("see", "sehen", "acc", "pa", "patclvoe", "L"),
    ("look for", "suchen", "acc", "pa", "patcvx", "LW"),
    ("find", "finden", "acc", "pa", "patcvx", "L"),
    ("take", "nehmen", "acc", "p", "fdtc", ""),
    ("carry", "tragen", "acc", "p", "ta", "LW"),
    ("hold", "halten", "acc", "p", "ta", "L"),
    ("catch", "fangen", "acc", "pa", "ta", "L"),
    ("cook", "kochen", "acc", "p", "k", "LWB"),
    ("bake", "backen", "acc", "p", "b", "LWB"),
    ("order", "bestellen", "acc", "p", "fd", "LB"),
    ("wash", "waschen", "acc", "p", "acv", "LW"),
    ("clean", "putzen", "acc", "p", "rov", "W"),
    ("read", "lesen", "acc", "p", "x", "LW"),
    ("write", "schreiben", "acc", "p", "xs", "LWB"),
    ("sing", "singen", "acc", "p", "s", "LWB"),
    ("repair", "reparieren", "acc", "p", "tve", "LWB"),
    ("drive", "fahren", "acc", "p", "v", "W"),
    ("feed", "füttern", "acc", "p", "a", "LW"),
    ("hear", "hören", "acc", "pa", "pa", "L"),
    ("visit", "besuchen", "acc", "p", "pl", "W"),
    ("meet", "treffen", "acc", "p", "p", "L"),
    ("forget", "vergessen", "acc", "p", "tcx", ""),
    ("get", "bekommen", "acc", "p", "tfdcx", "F"),
    ("like", "mögen", "acc", "p", "pafdtcvl", "S"),
    ("love", "lieben", "acc", "p", "pafd", "S"),
    ("hate", "hassen", "acc", "p", "pafd", "S"),
    ("need", "brauchen", "acc", "p", "fdtcv", "S"),
    ("have", "haben", "acc", "p", "atcv", "S"),
    ("know", "kennen", "acc", "p", "pl", "S"),
    ("call", "an|rufen", "acc", "p", "p", ""),
    ("invite", "ein|laden", "acc", "p", "p", ""),
    ("pick up", "ab|holen", "acc", "p", "p", "P"),
    ("bring along", "mit|bringen", "acc", "p", "fdta", ""),
    ("open", "auf|machen", "acc", "p", "o", "L"),
    ("close", "zu|machen", "acc", "p", "o", "L"),
    ("tidy", "auf|räumen", "acc", "p", "r", "W"),
    ("look at", "an|schauen", "acc", "pa", "patclvx", "L"),
    ("turn on", "an|machen", "acc", "p", "e", ""),
    ("turn off", "aus|machen", "acc", "p", "e", ""),
    ("put on", "an|ziehen", "acc", "p", "c", ""),
    ("throw away", "weg|werfen", "acc", "p", "tfc", ""),
    ("help", "helfen", "dat", "p", "p", "L"),
    ("thank", "danken", "dat", "p", "p", ""),
    ("answer", "antworten", "dat", "p", "p", ""),
    ("follow", "folgen", "dat", "pa", "pa", ""),
    ("belong to", "gehören", "dat", "tcva", "p", "S"),
    ("listen to", "zu|hören", "dat", "p", "p", ""),
    ("wave to", "zu|winken", "dat", "p", "p", ""),
    ("give", "geben", "dat+acc", "p", "fdtc", ""),
    ("buy", "kaufen", "dat+acc", "p", "fdtc", ""),
    ("bring", "bringen", "dat+acc", "p", "fdt", ""),
    ("show", "zeigen", "dat+acc", "p", "tcalx", ""),
    ("send", "schicken", "dat+acc", "p", "xt", ""),
    ("sell", "verkaufen", "dat+acc", "p", "tfc", ""),
    ("lend", "leihen", "dat+acc", "p", "t", ""),
    ("tell", "erzählen", "dat+acc", "p", "y", ""),
    ("read", "vor|lesen", "dat+acc", "p", "x", ""),
    ("sleep", "schlafen", "-", "pa", "", "L"),
    ("play", "spielen", "-", "pa", "", "LW"),
    ("work", "arbeiten", "-", "p", "", "LW"),
    ("laugh", "lachen", "-", "p", "", "W"),
    ("cry", "weinen", "-", "p", "", "L"),
    ("sing", "singen", "-", "p", "", "LW"),
    ("dance", "tanzen", "-", "p", "", "LW"),
    ("wait", "warten", "-", "pa", "", "LW"),
    ("swim", "schwimmen", "-", "pa", "", "LW"),
    ("cook", "kochen", "-", "p", "", "LW"),
    ("eat", "essen", "-", "pa", "", "LW"),
    ("read", "lesen", "-", "p", "", "L"),
    ("study", "lernen", "-", "p", "", "LW"),
    ("talk", "reden", "-", "p", "", "LW"),
    ("sit", "sitzen", "-", "pa", "", "L"),
    ("jump", "springen", "-", "pa", "", "L"),
    ("travel", "reisen", "-", "p", "", "W"),
    ("live", "wohnen", "-", "p", "", "L!"),
    ("go shopping", "ein|kaufen", "-", "p", "", "LW"),
    ("get up", "auf|stehen", "-", "p", "", ""),
    ("fall asleep", "ein|schlafen", "-", "pa", "", "L"),
    ("wake up", "auf|wachen", "-", "pa", "", "L"),
    ("watch television", "fern|sehen", "-", "p", "", "LW"),
    ("arrive", "an|kommen", "-", "p", "", "L"),
    ("come back", "zurück|kommen", "-", "pa", "", "P"),
    ("go out", "aus|gehen", "-", "p", "", "W"),
    ("tidy up", "auf|räumen", "-", "p", "", "L"),
    ("join in", "mit|machen", "-", "p", "", ""),
    ("go", "gehen", "to", "pa", "", "W"),
    ("come", "kommen", "to", "pa", "", "W"),
    ("run", "rennen", "to", "pa", "", "W"),
    ("walk", "laufen", "to", "pa", "", "W"),
    ("drive", "fahren", "to", "p", "", "W"),
    ("say", "sagen", "that", "p", "", ""),
    ("know", "wissen", "that", "p", "", ""),
    ("think", "denken", "that", "p", "", ""),
    ("believe", "glauben", "that", "p", "", ""),
    ("hope", "hoffen", "that", "p", "", ""),
)

# Present tense forms that break the rule, for ich, du and er/sie/es.
# (wir and sie always use the infinitive.)
_IRREGULAR: dict[str, tuple[str, str, str]] = {
    "essen": ("esse", "isst", "isst"),
    "sehen": ("sehe", "siehst", "sieht"),
    "lesen": ("lese", "liest", "liest"),
    "geben": ("gebe", "gibst", "gibt"),
    "nehmen": ("nehme", "nimmst", "nimmt"),
    "helfen": ("helfe", "hilfst", "hilft"),
    "treffen": ("treffe", "triffst", "trifft"),
    "werfen": ("werfe", "wirfst", "wirft"),
    "vergessen": ("vergesse", "vergisst", "vergisst"),
    "fahren": ("fahre", "fährst", "fährt"),
    "tragen": ("trage", "trägst", "trägt"),
    "schlafen": ("schlafe", "schläfst", "schläft"),
    "waschen": ("wasche", "wäschst", "wäscht"),
    "fangen": ("fange", "fängst", "fängt"),
    "laufen": ("laufe", "läufst", "läuft"),
    "laden": ("lade", "lädst", "lädt"),
    "halten": ("halte", "hältst", "hält"),
    "haben": ("habe", "hast", "hat"),
    "wissen": ("weiß", "weißt", "weiß"),
    "mögen": ("mag", "magst", "mag"),
    "wollen": ("will", "willst", "will"),
    "können": ("kann", "kannst", "kann"),
    "müssen": ("muss", "musst", "muss"),
}

# Modal verbs send the main verb to the end as an infinitive.
_MODALS: dict[str, str] = {"want": "wollen", "can": "können", "must": "müssen"}

# Personal pronouns: person, English subject, German subject,
# English object, German accusative, German dative.
_PRONOUNS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("1sg", "I", "ich", "me", "mich", "mir"),
    ("2sg", "you", "du", "you", "dich", "dir"),
    ("3sg", "he", "er", "him", "ihn", "ihm"),
    ("3sg", "she", "sie", "her", "sie", "ihr"),
    ("1pl", "we", "wir", "us", "uns", "uns"),
    ("3pl", "they", "sie", "them", "sie", "ihnen"),
)

# Possessives take the endings of "ein" (and "kein").
_POSSESSIVES: tuple[tuple[str, str], ...] = (
    ("my", "mein"),
    ("your", "dein"),
    ("his", "sein"),
    ("her", "ihr"),
    ("our", "unser"),
    ("their", "ihr"),
)

# Adverbials: English, German, kind. Time ("t") goes to the end of an English
# clause, frequency ("f") before the English verb; "F" may also start a sentence.
# All of them can start a German sentence, and the verb still comes second.
_ADVERBS: tuple[tuple[str, str, str], ...] = (
    ("today", "heute", "t"),
    ("tomorrow", "morgen", "t"),
    ("now", "jetzt", "t"),
    ("soon", "bald", "t"),
    ("later", "später", "t"),
    ("every day", "jeden Tag", "t"),
    ("in the morning", "morgens", "t"),
    ("in the evening", "abends", "t"),
    ("at night", "nachts", "t"),
    ("on Saturday", "am Samstag", "t"),
    ("on Sunday", "am Sonntag", "t"),
    ("in summer", "im Sommer", "t"),
    ("in winter", "im Winter", "t"),
    ("often", "oft", "F"),
    ("sometimes", "manchmal", "F"),
    ("usually", "meistens", "F"),
    ("always", "immer", "f"),
    ("rarely", "selten", "f"),
)

# Conjunctions that send the German verb to the end. ("dass" goes with "that" verbs.)
_SUBORDINATORS: tuple[tuple[str, str], ...] = (
    ("because", "weil"),
    ("when", "wenn"),
    ("if", "wenn"),
    ("although", "obwohl"),
)

# --------------------------------------------------------------------------
# Grammar tables. Columns: masculine, feminine, neuter, plural.
# --------------------------------------------------------------------------

_COLUMN = {"m": 0, "f": 1, "n": 2}  # the plural is column 3
_DER = {
    "nom": ("der", "die", "das", "die"),
    "acc": ("den", "die", "das", "die"),
    "dat": ("dem", "der", "dem", "den"),
}
# Endings of "dieser", and of an adjective with no article in front of it.
_STRONG = {
    "nom": ("er", "e", "es", "e"),
    "acc": ("en", "e", "es", "e"),
    "dat": ("em", "er", "em", "en"),
}
# Endings of "ein", "kein" and the possessives.
_EIN = {
    "nom": ("", "e", "", "e"),
    "acc": ("en", "e", "", "e"),
    "dat": ("em", "er", "em", "en"),
}
# Endings of an adjective after an article that already shows the case.
_WEAK = {
    "nom": ("e", "e", "e", "en"),
    "acc": ("en", "e", "e", "en"),
    "dat": ("en", "en", "en", "en"),
}
# Preposition + article that German writes as one word.
_CONTRACTIONS = {
    ("in", "dem"): "im",
    ("in", "das"): "ins",
    ("an", "dem"): "am",
    ("an", "das"): "ans",
    ("zu", "dem"): "zum",
    ("zu", "der"): "zur",
    ("von", "dem"): "vom",
}

# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


class NounPhrase(NamedTuple):
    """One German noun phrase of a sentence, with the grammar that shaped it."""

    case: str  # "nom", "acc" or "dat"
    gender: str  # "m", "f" or "n"
    number: str  # "sg" or "pl"
    article_lemma: str  # "der", "ein", "dieser", "kein", "mein", ... or "" for none
    article: str  # as written: "dem", "einen", "meine", ""
    adjective_stem: str  # "groß", "teur" (from teuer) or ""
    adjective: str  # as written: "großen", ""
    noun_lemma: str  # "Kind", "Junge"
    noun: str  # as written: "Kindern", "Jungen"
    preposition: str = ""  # "mit", "in", ... when the phrase follows one

    @property
    def text(self) -> str:
        """The phrase as it appears in the sentence: "im großen Park"."""
        contracted = _CONTRACTIONS.get((self.preposition, self.article))  # "im"
        if contracted:
            words = (contracted, self.adjective, self.noun)
        else:
            words = (self.preposition, self.article, self.adjective, self.noun)
        return " ".join(filter(None, words))  # leave out the empty ones


class Clause(NamedTuple):
    """One German clause of a sentence and where its verb went."""

    kind: str  # "main", "question" or "sub"
    text: str  # as in the sentence (without its capital first letter or punctuation)
    first: str  # what stands before the verb of a main clause; "" if the verb is first
    conjunction: str  # "weil", "dass", "wenn" or "obwohl" for "sub", else ""
    person: str  # of the subject: "1sg", "2sg", "3sg", "1pl" or "3pl"
    verb: str  # the finite verb: "ruft", "will", "kauft"
    particle: str  # separable prefix left at the end ("an"), or ""
    infinitive: str  # infinitive after a modal verb ("anrufen"), or ""


@dataclass(frozen=True)
class Pair:
    """An English sentence, its German translation and the German structure."""

    en: str
    de: str
    noun_phrases: tuple[NounPhrase, ...] = ()
    clauses: tuple[Clause, ...] = ()


# --------------------------------------------------------------------------
# Tokens and lengths
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Words and punctuation: "Der Mann, weil" -> ["Der", "Mann", ",", "weil"]."""
    return _TOKEN.findall(text)


def n_words(text: str) -> int:
    """Number of words, not counting punctuation."""
    return sum(1 for token in _TOKEN.findall(text) if token[0].isalnum())


def _label(bucket: tuple[int, int]) -> str:
    return f"{bucket[0]}-{bucket[1]}"


def length_bucket(text: str) -> str | None:
    """The label ("3-7", "8-12", ...) of the bucket that holds this sentence."""
    n = n_words(text)
    for bucket in LENGTH_BUCKETS:
        if bucket[0] <= n <= bucket[1]:
            return _label(bucket)
    return None


# --------------------------------------------------------------------------
# Word forms
# --------------------------------------------------------------------------


class _Noun(NamedTuple):
    en: str
    en_pl: str
    de: str
    de_pl: str
    gender: str
    kinds: str


class _Verb(NamedTuple):
    en: str
    de: str
    frame: str
    subject_kinds: str
    object_kinds: str
    extras: str


_NOUN_LIST = [_Noun(*row) for row in _NOUNS]
_VERB_LIST = [_Verb(*row) for row in _VERBS]
_ACTION_VERBS = [v for v in _VERB_LIST if v.frame != "that"]
_THAT_VERBS = [v for v in _VERB_LIST if v.frame == "that"]
_PLACES = [n for n in _NOUN_LIST if "l" in n.kinds]
_TIME_ADVERBS = [a for a in _ADVERBS if a[2] == "t"]
_FREQUENCY_ADVERBS = [a for a in _ADVERBS if a[2] != "t"]
_SIZES = ("groß", "klein", "schwer")  # not for mass nouns: no "big milk"
_ADJECTIVES_FOR = {
    n.de: [
        a
        for a in _ADJECTIVES
        if set(a[2]) & set(n.kinds) and (n.de_pl or a[1] not in _SIZES)
    ]
    for n in _NOUN_LIST
}


@functools.cache
def _nouns_of(kinds: str) -> list[_Noun]:
    return [n for n in _NOUN_LIST if set(n.kinds) & set(kinds)]


def conjugate(verb: str, person: str) -> str:
    """Present tense of a German verb without its separable prefix.

    conjugate("kaufen", "3sg") == "kauft", conjugate("an|rufen", "2sg") == "rufst".
    """
    verb = verb.rpartition("|")[2]
    if person in ("1pl", "3pl"):
        return verb
    if verb in _IRREGULAR:
        return _IRREGULAR[verb][("1sg", "2sg", "3sg").index(person)]
    stem = verb[:-2] if verb.endswith("en") else verb[:-1]  # füttern -> fütter
    if person == "1sg":
        return stem + "e"
    # An extra e after -d, -t and a consonant + m/n: "arbeitet", "redest", "öffnet".
    extra_e = stem.endswith(("d", "t")) or (
        stem[-1] in "mn" and stem[-2] not in "aeiouäöülrhmn"
    )
    if person == "2sg":
        if stem.endswith(("s", "ß", "z", "x")):  # du tanzt, du reist
            return stem + "t"
        return stem + ("est" if extra_e else "st")
    return stem + ("et" if extra_e else "t")


def _en_3sg(verb: str) -> str:
    """English he/she form of a base form: "look for" -> "looks for"."""
    head, _, rest = verb.partition(" ")
    if head == "have":
        head = "has"
    elif head.endswith(("s", "sh", "ch", "x", "z", "o")):
        head += "es"
    elif head.endswith("y") and head[-2] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}" if rest else head


def _german_article(lemma: str, case: str, column: int) -> str:
    if lemma == "der":
        return _DER[case][column]
    if lemma == "dieser":
        return "dies" + _STRONG[case][column]
    if lemma:  # ein, kein, mein, ...
        return lemma + _EIN[case][column]
    return ""


def _adjective_ending(article_lemma: str, case: str, column: int) -> str:
    if article_lemma in ("der", "dieser"):
        return _WEAK[case][column]
    if article_lemma:
        # After ein-words the adjective shows the case where the article can't:
        # "ein großer Hund", "ein kleines Kind", but "einen großen Hund".
        return _STRONG[case][column] if not _EIN[case][column] else _WEAK[case][column]
    return _STRONG[case][column]


def _german_noun(noun: _Noun, case: str, plural: bool) -> str:
    if plural:
        if case == "dat" and not noun.de_pl.endswith(("n", "s")):
            return noun.de_pl + "n"  # mit den Kindern
        return noun.de_pl
    if case != "nom" and noun.de in _WEAK_NOUNS:
        return noun.de_pl  # den Jungen
    return noun.de


# --------------------------------------------------------------------------
# Phrases
# --------------------------------------------------------------------------


def _noun_phrase(
    rng: random.Random,
    kinds: str,
    case: str,
    richness: float,
    used: set[str],
    preposition: str = "",
    nouns: list[_Noun] | None = None,
    negative: bool = True,
) -> tuple[str, str, NounPhrase]:
    """One noun phrase: English words, German words and the German record.

    ("the big dog", "mit dem großen Hund", NounPhrase(...)) for case "dat", "mit".
    """
    choices = nouns or _nouns_of(kinds)
    noun = rng.choice(choices)
    for _ in range(10):  # not the same noun twice in a clause, if we can help it
        if noun.de not in used:
            break
        noun = rng.choice(choices)
    used.add(noun.de)
    mass = not noun.de_pl
    plural = not mass and rng.random() < 0.3
    roll = rng.random()
    if roll < 0.45:
        en_article, lemma = "the", "der"
    elif roll < 0.7:
        en_article, lemma = ("", "") if plural or mass else ("a", "ein")
    elif roll < 0.82:
        en_article, lemma = rng.choice(_POSSESSIVES)
    elif roll < 0.94 or not negative:
        en_article, lemma = ("these" if plural else "this"), "dieser"
    else:
        en_article, lemma = "no", "kein"
    column = 3 if plural else _COLUMN[noun.gender]
    en = noun.en_pl if plural else noun.en
    stem = adjective = ""
    adjectives = _ADJECTIVES_FOR[noun.de]
    if adjectives and rng.random() < 0.6 * richness:
        en_adjective, stem, _ = rng.choice(adjectives)
        adjective = stem + _adjective_ending(lemma, case, column)
        en = f"{en_adjective} {en}"
    if en_article:
        if en_article == "a" and en[0] in "aeiou":
            en_article = "an"
        en = f"{en_article} {en}"
    record = NounPhrase(
        case=case,
        gender=noun.gender,
        number="pl" if plural else "sg",
        article_lemma=lemma,
        article=_german_article(lemma, case, column),
        adjective_stem=stem,
        adjective=adjective,
        noun_lemma=noun.de,
        noun=_german_noun(noun, case, plural),
        preposition=preposition,
    )
    return en, record.text, record


@dataclass(slots=True)
class _Clause:
    """A clause with all its words chosen but its German word order still open."""

    person: str
    subject_en: str
    subject_de: str
    subject_is_pronoun: bool
    verb_en: str  # English base form: "look for"
    modal: str  # "", "want", "can" or "must"
    finite: str  # German finite verb: "ruft", "will"
    particle: str  # separable prefix for the end of a main clause: "an"
    infinitive: str  # after a modal: "anrufen"
    adverb: tuple[str, str, str] | None
    pronoun_en: str  # an object pronoun ("her"), which German moves forward
    pronoun_de: str
    objects_en: list[str]
    objects_de: list[str]
    extras_en: list[str]  # prepositional phrases, in English order
    extras_de: list[str]  # and in German order
    noun_phrases: list[NounPhrase]


def _pronoun_object(rng: random.Random, person: str) -> tuple[str, ...]:
    """An object pronoun that doesn't clash with the subject ("I see me")."""
    while True:
        pronoun = rng.choice(_PRONOUNS)
        if pronoun[0][0] == "3" or pronoun[0][0] != person[0]:
            return pronoun


def _clause(
    rng: random.Random, richness: float, verbs: list[_Verb], question: bool = False
) -> _Clause:
    """Choose the words of one clause: subject, verb, objects, adverb, phrases."""
    verb = rng.choice(verbs)
    used: set[str] = set()  # nouns already in this clause
    nps: list[NounPhrase] = []

    def phrase(
        kinds: str,
        case: str,
        preposition: str = "",
        nouns: list[_Noun] | None = None,
        negative: bool = True,
    ) -> tuple[str, str]:
        # "no" only where it reads well: "the man has no car", but not
        # "with no dog", "no man and the woman" or "Does no man ...?".
        negative = negative and not preposition and not question
        en, de, record = _noun_phrase(
            rng, kinds, case, richness, used, preposition, nouns, negative
        )
        nps.append(record)
        return en, de

    def place_phrase(role: str) -> tuple[str, str]:
        """Where ("at"), where to ("to") or where from ("from")."""
        place = rng.choice(_PLACES)
        if place.de in used:
            place = rng.choice(_PLACES)
        en_at, de_at, en_to, de_to = _PLACE_PREPS.get(place.de, _INSIDE)
        if role == "at":
            en_prep, de_prep, case = en_at, de_at, "dat"
        elif role == "to":
            en_prep, de_prep, case = en_to, de_to, "dat" if de_to == "zu" else "acc"
        else:  # out of a building, away from anywhere else
            en_prep, de_prep, case = "from", "aus" if de_at == "in" else "von", "dat"
        en, de = phrase("l", case, de_prep, [place])
        return f"{en_prep} {en}", de

    # Subject: a pronoun, a noun phrase, or two noun phrases joined by "and".
    if "p" in verb.subject_kinds and rng.random() < 0.2:
        pronouns = _PRONOUNS[1:] if question else _PRONOUNS  # no "Do I ...?"
        person, subject_en, subject_de, *_ = rng.choice(pronouns)
        is_pronoun = True
    else:
        two = rng.random() < 0.1 * richness
        subject_en, subject_de = phrase(verb.subject_kinds, "nom", negative=not two)
        person = "3pl" if nps[-1].number == "pl" else "3sg"
        is_pronoun = False
        if two:
            en, de = phrase(verb.subject_kinds, "nom", negative=False)
            subject_en, subject_de = f"{subject_en} and {en}", f"{subject_de} und {de}"
            person = "3pl"

    # Verb: maybe a modal verb first, which sends the main verb to the end.
    stative = "S" in verb.extras
    modal = ""
    if not stative and verb.frame != "that" and rng.random() < 0.15:
        modal = rng.choice(tuple(_MODALS))
    prefix, _, base = verb.de.rpartition("|")
    if modal:  # "will ... anrufen"
        finite = conjugate(_MODALS[modal], person)
        particle, infinitive = "", prefix + base
    else:  # "ruft ... an"
        finite = conjugate(base, person)
        particle, infinitive = prefix, ""
    adverb = None
    if not stative and rng.random() < 0.4 * richness:
        # Keep the English simple: no "often wants to buy", no "says today that".
        if modal:
            adverb = rng.choice(_TIME_ADVERBS)
        elif verb.frame == "that":
            adverb = rng.choice(_FREQUENCY_ADVERBS)
        else:
            adverb = rng.choice(_ADVERBS)

    # Objects: German puts the dative before the accusative.
    # A pronoun object gets a place of its own (see _german); never after
    # "pick up" and the like, since "picks up her" is wrong English.
    pronoun_en = pronoun_de = ""
    objects_en: list[str] = []
    objects_de: list[str] = []
    can_be_pronoun = " " not in verb.en
    if verb.frame in ("dat", "dat+acc"):
        kinds = verb.object_kinds if verb.frame == "dat" else "p"
        if can_be_pronoun and "p" in kinds and rng.random() < 0.15:
            pronoun = _pronoun_object(rng, person)
            pronoun_en, pronoun_de = pronoun[3], pronoun[5]
        else:
            en, de = phrase(kinds, "dat")
            objects_en.append(en)
            objects_de.append(de)
    if verb.frame in ("acc", "dat+acc"):
        kinds = verb.object_kinds
        if (
            verb.frame == "acc"
            and can_be_pronoun
            and "p" in kinds
            and rng.random() < 0.15
        ):
            pronoun = _pronoun_object(rng, person)
            pronoun_en, pronoun_de = pronoun[3], pronoun[4]
        else:
            two = rng.random() < 0.15 * richness and len(_nouns_of(kinds)) > 4
            en, de = phrase(kinds, "acc", negative=not two)
            if two:
                en2, de2 = phrase(kinds, "acc", negative=False)
                en, de = f"{en} and {en2}", f"{de} und {de2}"
            objects_en.append(en)
            objects_de.append(de)

    # Prepositional phrases: with/for/from someone, then a place.
    extras = "" if stative else verb.extras
    people_en: list[str] = []
    people_de: list[str] = []
    for extra, en_prep, de_prep, case, kinds in (
        ("W", "with", "mit", "dat", "pa"),
        ("B", "for", "für", "acc", "p"),
        ("F", "from", "von", "dat", "p"),
    ):
        if extra in extras and rng.random() < 0.3 * richness:
            if extra == "W" and rng.random() < 0.3:
                en_prep, de_prep, case = "without", "ohne", "acc"
            en, de = phrase(kinds, case, de_prep)
            people_en.append(f"{en_prep} {en}")
            people_de.append(de)
    place_en: list[str] = []
    place_de: list[str] = []
    if verb.frame == "to":
        roll = rng.random()
        if roll < 0.15:
            en, de = "home", "nach Hause"
        elif roll < 0.3:
            en, de = phrase("p", "dat", "zu")
            en = f"to {en}"
        else:
            en, de = place_phrase("to")
        place_en, place_de = [en], [de]
    elif "P" in extras and rng.random() < 0.6 * richness:
        en, de = place_phrase("from")
        place_en, place_de = [en], [de]
    elif "!" in extras or ("L" in extras and rng.random() < 0.4 * richness):
        en, de = ("at home", "zu Hause") if rng.random() < 0.1 else place_phrase("at")
        place_en, place_de = [en], [de]

    return _Clause(
        person=person,
        subject_en=subject_en,
        subject_de=subject_de,
        subject_is_pronoun=is_pronoun,
        verb_en=verb.en,
        modal=modal,
        finite=finite,
        particle=particle,
        infinitive=infinitive,
        adverb=adverb,
        pronoun_en=pronoun_en,
        pronoun_de=pronoun_de,
        objects_en=objects_en,
        objects_de=objects_de,
        # English says "goes into the park with the dog",
        # German "geht mit dem Hund in den Park".
        extras_en=place_en + people_en,
        extras_de=people_de + place_de,
        noun_phrases=nps,
    )


# --------------------------------------------------------------------------
# Word order
# --------------------------------------------------------------------------


def _english(c: _Clause, order: str) -> str:
    """English words of a clause. English word order hardly changes:
    only an adverbial may come first, and a question puts "does" in front."""
    third = c.person == "3sg"
    adverb_en, _, adverb_kind = c.adverb or ("", "", "")
    front = freq = end = ""
    if order == "front":
        front = adverb_en
    elif adverb_kind == "t":
        end = adverb_en
    else:
        freq = adverb_en
    base = c.verb_en
    if order == "question":
        if c.modal in ("can", "must"):
            head = [c.modal, c.subject_en, freq, base]
        else:
            aux = "does" if third else "do"
            head = [aux, c.subject_en, freq, "want to" if c.modal else "", base]
    else:
        if c.modal == "want":
            verb = ["wants to" if third else "want to", base]
        elif c.modal:
            verb = [c.modal, base]
        else:
            verb = [_en_3sg(base) if third else base]
        head = [front, c.subject_en, freq, *verb]
    words = [*head, c.pronoun_en, *c.objects_en, *c.extras_en, end]
    return " ".join(filter(None, words))


def _german(c: _Clause, order: str) -> str:
    """German words of a clause in one of four orders:

    "main"      subject, verb, ...:          der Mann ruft heute die Frau an
    "front"     adverbial, verb, subject:    heute ruft der Mann die Frau an
    "inverted"  verb, subject (questions, and after a subordinate clause):
                                             ruft der Mann heute die Frau an
    "sub"       subject, ..., verb last:     der Mann heute die Frau anruft
    """
    adverb = c.adverb[1] if c.adverb and order != "front" else ""
    middle = [adverb, *c.objects_de, *c.extras_de]
    end = c.infinitive or c.particle
    if order == "main":
        words = [c.subject_de, c.finite, c.pronoun_de, *middle, end]
    elif order == "sub":
        verbs = f"{c.infinitive} {c.finite}" if c.infinitive else c.particle + c.finite
        words = [c.subject_de, c.pronoun_de, *middle, verbs]
    else:
        # Behind the verb, an object pronoun goes before a noun subject:
        # "Heute ruft sie der Mann an", but "Heute ruft er sie an".
        if c.subject_is_pronoun:
            subject = [c.subject_de, c.pronoun_de]
        else:
            subject = [c.pronoun_de, c.subject_de]
        first = c.adverb[1] if order == "front" and c.adverb else ""
        words = [first, c.finite, *subject, *middle, end]
    return " ".join(filter(None, words))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Sentence:
    """Collects the clauses of one sentence and their records."""

    def __init__(self) -> None:
        self.clauses: list[Clause] = []
        self.noun_phrases: list[NounPhrase] = []

    def add(
        self, c: _Clause, order: str, conjunction: tuple[str, str] = ("", "")
    ) -> tuple[str, str]:
        en = _english(c, order)
        de = _german(c, "inverted" if order == "question" else order)
        if conjunction[0]:
            en, de = f"{conjunction[0]} {en}", f"{conjunction[1]} {de}"
        if order == "main":
            first = c.subject_de
        elif order == "front" and c.adverb:
            first = c.adverb[1]
        else:
            first = ""
        kind = order if order in ("question", "sub") else "main"
        record = Clause(
            kind=kind,
            text=de,
            first=first,
            conjunction=conjunction[1],
            person=c.person,
            verb=c.finite,
            particle=c.particle,
            infinitive=c.infinitive,
        )
        self.clauses.append(record)
        self.noun_phrases.extend(c.noun_phrases)
        return en, de

    def pair(self, en: str, de: str) -> Pair:
        return Pair(_cap(en), _cap(de), tuple(self.noun_phrases), tuple(self.clauses))


def _main_order(rng: random.Random, c: _Clause) -> str:
    """Start with the subject, or now and then with the adverbial."""
    if c.adverb and c.adverb[2] != "f" and rng.random() < 0.5:
        return "front"
    return "main"


def _subordinate(
    rng: random.Random,
    s: _Sentence,
    size: int,
    richness: float,
    conjunction: tuple[str, str],
) -> tuple[str, str]:
    """A subordinate clause and `size - 1` more clauses hanging off it:
    "weil die Frau sagt, dass der Mann den Kuchen kauft"."""
    if size == 1:
        return s.add(_clause(rng, richness, _ACTION_VERBS), "sub", conjunction)
    en, de = s.add(_clause(rng, richness, _THAT_VERBS), "sub", conjunction)
    en2, de2 = _subordinate(rng, s, size - 1, richness, ("that", "dass"))
    return f"{en} {en2}", f"{de}, {de2}"


def _clause_group(
    rng: random.Random, s: _Sentence, size: int, richness: float, first: bool
) -> tuple[str, str, bool]:
    """A main clause with `size - 1` subordinate clauses. Also says whether the
    German ends in a subordinate clause, which then needs a closing comma."""
    if size == 1:
        c = _clause(rng, richness, _ACTION_VERBS)
        en, de = s.add(c, _main_order(rng, c))
        return en, de, False
    roll = rng.random()
    if roll < 0.3:  # "Die Frau sagt, dass ..."
        c = _clause(rng, richness, _THAT_VERBS)
        en, de = s.add(c, _main_order(rng, c))
        en2, de2 = _subordinate(rng, s, size - 1, richness, ("that", "dass"))
        return f"{en} {en2}", f"{de}, {de2}", True
    conjunction = rng.choice(_SUBORDINATORS)
    if first and roll < 0.55:  # "Weil ..., kauft der Mann ..."
        en2, de2 = _subordinate(rng, s, size - 1, richness, conjunction)
        en, de = s.add(_clause(rng, richness, _ACTION_VERBS), "inverted")
        return f"{en2}, {en}", f"{de2}, {de}", False
    c = _clause(rng, richness, _ACTION_VERBS)
    en, de = s.add(c, _main_order(rng, c))
    en2, de2 = _subordinate(rng, s, size - 1, richness, conjunction)
    return f"{en} {en2}", f"{de}, {de2}", True


# How a sentence of n clauses splits into clause groups joined by "and"/"but".
_GROUPINGS: dict[int, tuple[tuple[int, ...], ...]] = {
    1: ((1,),),
    2: ((2,), (2,), (1, 1)),
    3: ((3,), (2, 1), (1, 2), (1, 1, 1)),
    4: ((2, 2), (3, 1), (1, 3), (2, 1, 1)),
}


def _sentence(rng: random.Random, n_clauses: int, richness: float) -> Pair:
    """One sentence of `n_clauses` clauses: a question, or clause groups
    joined by "and" and at most one "but"."""
    s = _Sentence()
    if n_clauses == 1 and rng.random() < 0.2:
        c = _clause(rng, richness, _ACTION_VERBS, question=True)
        en, de = s.add(c, "question")
        return s.pair(en + "?", de + "?")
    groups = rng.choice(_GROUPINGS[n_clauses])
    en, de, open_sub = _clause_group(rng, s, groups[0], richness, first=True)
    but = rng.randrange(len(groups) + 1)  # where "but" goes, if anywhere
    for i, size in enumerate(groups[1:], start=1):
        en2, de2, next_open_sub = _clause_group(rng, s, size, richness, first=False)
        if i == but:
            en, de = f"{en}, but {en2}", f"{de}, aber {de2}"
        else:  # a comma closes a subordinate clause before "und"
            en, de = f"{en} and {en2}", f"{de}{',' if open_sub else ''} und {de2}"
        open_sub = next_open_sub
    return s.pair(en + ".", de + ".")


# Sentence plans: (number of clauses, richness, weight). Richness is how likely
# adjectives, adverbs and extra phrases are. This mix puts about 30%, 30%, 23%
# and 17% of the sentences in the four length buckets.
_PLANS: tuple[tuple[int, float, float], ...] = (
    (1, 0.2, 0.26),
    (1, 1.0, 0.14),
    (2, 0.2, 0.20),
    (2, 0.6, 0.14),
    (3, 0.3, 0.20),
    (4, 0.3, 0.06),
)
_MIN_WORDS, _MAX_WORDS = LENGTH_BUCKETS[0][0], LENGTH_BUCKETS[-1][1]


def _stream(rng: random.Random) -> Iterator[Pair]:
    """Endless pairs, 3 to 25 English words long, each plan picked by weight."""
    plans = [plan[:2] for plan in _PLANS]
    cum_weights = list(itertools.accumulate(plan[2] for plan in _PLANS))
    while True:
        n_clauses, richness = rng.choices(plans, cum_weights=cum_weights)[0]
        pair = _sentence(rng, n_clauses, richness)
        if _MIN_WORDS <= pair.en.count(" ") + 1 <= _MAX_WORDS:  # = n_words(pair.en)
            yield pair


def generate_pairs(n: int, seed: int = 0) -> list[Pair]:
    """`n` sentence pairs, the same ones for the same seed.

    A sentence may come up twice; `make_splits` removes repeats."""
    return list(itertools.islice(_stream(random.Random(seed)), n))


# --------------------------------------------------------------------------
# Splits
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Splits:
    """Train, validation and test pairs; no English sentence is in two of them."""

    train: list[Pair]
    valid: list[Pair]
    test: list[Pair]

    def test_by_bucket(self) -> dict[str, list[Pair]]:
        """Test pairs grouped by the length bucket of their English side."""
        groups: dict[str, list[Pair]] = {_label(b): [] for b in LENGTH_BUCKETS}
        for pair in self.test:
            groups[length_bucket(pair.en) or ""].append(pair)
        return groups


@functools.lru_cache(maxsize=8)
def _splits(
    seed: int, n_train: int, n_valid: int, n_test_per_bucket: int
) -> tuple[tuple[Pair, ...], tuple[Pair, ...], tuple[Pair, ...]]:
    stream = _stream(random.Random(seed))
    seen: set[str] = set()
    # Test: the same sentences as train, kept only while their bucket has room.
    test: list[Pair] = []
    room = {_label(bucket): n_test_per_bucket for bucket in LENGTH_BUCKETS}
    while any(room.values()):
        pair = next(stream)
        label = length_bucket(pair.en) or ""
        if room[label] and pair.en not in seen:
            seen.add(pair.en)
            test.append(pair)
            room[label] -= 1
    # Valid and train: whatever comes next, minus repeats.
    rest: list[Pair] = []
    while len(rest) < n_valid + n_train:
        pair = next(stream)
        if pair.en not in seen:
            seen.add(pair.en)
            rest.append(pair)
    return tuple(rest[n_valid:]), tuple(rest[:n_valid]), tuple(test)


def make_splits(
    seed: int = 0,
    n_train: int = 20_000,
    n_valid: int = 1_000,
    n_test_per_bucket: int = 100,
) -> Splits:
    """The course's data: train and valid share one length mix, test has
    `n_test_per_bucket` pairs in every length bucket. Every English sentence
    occurs once at most. Cached: a second call with the same arguments is free."""
    train, valid, test = _splits(seed, n_train, n_valid, n_test_per_bucket)
    return Splits(list(train), list(valid), list(test))


# --------------------------------------------------------------------------
# The word-for-word dictionary
# --------------------------------------------------------------------------


# English words that do the job of a German separable prefix.
_PARTICLES = ("up", "on", "off", "in", "out", "at", "to", "away", "along", "back")


@functools.cache
def _lexicon() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}

    def add(en: str, *de: str) -> None:
        forms = table.setdefault(en.lower(), [])
        forms.extend(d for d in de if d not in forms)

    slots = [(case, column) for case in _DER for column in range(4)]
    add("the", *(_DER[case][column] for case, column in slots))
    for en in ("a", "an"):
        add(en, *("ein" + _EIN[case][column] for case, column in slots if column < 3))
    add(
        "this",
        *("dies" + _STRONG[case][column] for case, column in slots if column < 3),
    )
    add("these", *("dies" + _STRONG[case][3] for case in _STRONG))
    for en, de in (*_POSSESSIVES, ("no", "kein")):
        add(en, *(de + _EIN[case][column] for case, column in slots))
    for _, en, de, en_obj, acc, dat in _PRONOUNS:
        add(en, de)
        add(en_obj, acc, dat)
    for noun in _NOUN_LIST:
        add(noun.en, noun.de, *[noun.de_pl] * (noun.de in _WEAK_NOUNS))
        if noun.en_pl:
            add(noun.en_pl, noun.de_pl, _german_noun(noun, "dat", plural=True))
    for en, stem, _ in _ADJECTIVES:
        add(en, *(stem + ending for ending in ("e", "en", "er", "es", "em")))
    # Prepositions, the usual translation first, each with its contractions.
    prepositions = [("in", "in"), ("into", "in"), ("at", "an"), ("on", "auf")]
    prepositions += [("with", "mit"), ("without", "ohne"), ("for", "für")]
    prepositions += [("from", "von"), ("from", "aus"), ("to", "zu"), ("to", "nach")]
    for en_at, de_at, en_to, de_to in _PLACE_PREPS.values():
        prepositions += [(en_at, de_at), (en_to, de_to)]
    for en, de in prepositions:
        add(en, de, *(c for (p, _), c in _CONTRACTIONS.items() if p == de))
    for en, de, _ in (
        *_ADVERBS,
        ("at home", "zu Hause", ""),
        ("home", "nach Hause", ""),
    ):
        en_words, de_words = en.split(), de.split()
        if len(en_words) == len(de_words):
            for e, d in zip(en_words, de_words):
                add(e, d)
        elif en_words[-1].lower() not in table:
            add(en_words[-1], de)
    for en, de in (*_SUBORDINATORS, ("that", "dass"), ("and", "und"), ("but", "aber")):
        add(en, de)
    persons = ("1sg", "2sg", "1pl")  # "1pl" also stands for the infinitive
    for en, modal in _MODALS.items():
        add(en, *(conjugate(modal, p) for p in persons))
        add(en + ("s" if en == "want" else ""), conjugate(modal, "3sg"))
    add("do", "tue", "tust", "tun")
    add("does", "tut")
    add("to", "zu")
    # One-word verbs first: "gets" is "bekommt" before it is "steht (auf)".
    for verb in sorted(_VERB_LIST, key=lambda verb: " " in verb.en):
        prefix, _, base = verb.de.rpartition("|")
        head, *rest = verb.en.split()
        add(head, *(conjugate(base, p) for p in persons))
        add(_en_3sg(head), conjugate(base, "3sg"))
        if prefix:  # the joined forms of subordinate clauses: "anruft"
            add(head, *(prefix + conjugate(base, p) for p in persons))
            add(_en_3sg(head), prefix + conjugate(base, "3sg"))
        for word in rest:  # "pick UP" is "AB|holen", "go SHOPPING" "EIN|kaufen"
            if prefix and word in _PARTICLES:
                add(word, prefix)
            elif word not in table:
                add(word, prefix + base)
    return {en: tuple(de) for en, de in table.items()}


def lexicon() -> dict[str, list[str]]:
    """The course's English->German word dictionary, every form of every word:
    lexicon()["the"] == ["der", "die", "das", "den", "dem"],
    lexicon()["buys"] == ["kauft"], lexicon()["cake"] == ["Kuchen"].

    Keys are lower-case English words; values list German words, most usual first.
    """
    return {en: list(de) for en, de in _lexicon().items()}
