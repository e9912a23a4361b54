"""The grammar's nouns: English and German forms, gender, and what each one is
(a person, a food, a place, ...), so that verbs and adjectives fit it. Part of
the sentence generator behind `utils.data.grammar` (lessons 1, 3 and 6).

Why: German nouns have a gender and change their ending with case and number
("der Junge", "den Jungen", "mit den Kindern"); a translator has to learn that
from the data. `german_noun` writes the right form.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

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
WEAK_NOUNS = frozenset(
    ("Junge", "Mensch", "Nachbar", "Student", "Bauer", "Polizist", "Kunde")
    + ("Kollege", "Tourist", "Bär", "Löwe", "Affe", "Elefant")
)

# How to be at a place and how to get there, as (English, German) prepositions.
# "at" always takes the dative. "to" takes the accusative ("in den Park"),
# except "zu", which always takes the dative ("zum Bahnhof").
# Places not listed are INSIDE.
INSIDE = ("in", "in", "into", "in")
PLACE_PREPS: dict[str, tuple[str, str, str, str]] = {
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


class Noun(NamedTuple):
    """One noun of the table at the top (`_NOUNS`)."""

    en: str
    en_pl: str
    de: str
    de_pl: str
    gender: str
    kinds: str


NOUN_LIST = [Noun(*row) for row in _NOUNS]
PLACES = [n for n in NOUN_LIST if "l" in n.kinds]


@functools.cache
def nouns_of(kinds: str) -> list[Noun]:
    """The nouns of any of these kinds: nouns_of("fd"), the food and drinks."""
    return [n for n in NOUN_LIST if set(n.kinds) & set(kinds)]


def german_noun(noun: Noun, case: str, plural: bool) -> str:
    """The German noun as written in this case and number: "Kindern", "Jungen"."""
    if plural:
        if case == "dat" and not noun.de_pl.endswith(("n", "s")):
            return noun.de_pl + "n"  # mit den Kindern
        return noun.de_pl
    if case != "nom" and noun.de in WEAK_NOUNS:
        return noun.de_pl  # den Jungen
    return noun.de
