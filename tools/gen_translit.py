#!/usr/bin/env python3
"""Generates plugin/translit_data.c and plugin/translit_data.h, the tables of
slug transliteration (translit.c) and of allow_unicode lowercasing and NFC.

Inputs: Debian's unicode-data (UnicodeData.txt, CompositionExclusions.txt,
Unihan_Readings.txt.bz2 kMandarin) plus the small hand tables below, written
for copydesk: letters with no decomposition, Greek (ELOT 743), Cyrillic (2013
Russian passports, Kazakh and other extensions), Arabic, Hebrew, and the
locale pre-maps. Kana come from the Unicode character names, Hepburn-fixed.

  python3 tools/gen_translit.py [/usr/share/unicode]
"""
import bz2
import os
import re
import sys

UDIR = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MAXCP = 0x32400          # tables cover U+0000..U+323FF; above is a separator
BLOCK = 128

# ---- entry kinds (must match translit.c) ----------------------------------
K_SEP, K_JOIN, K_STR, K_WORD, K_GREEK, K_KANA, K_KANAMOD, K_HANGUL = range(8)

# ---- hand tables -----------------------------------------------------------
# Latin letters without a usable decomposition (lowercase forms; capitals
# follow through UnicodeData's case mappings).
LATIN = {
    0x00DF: "ss", 0x00E6: "ae", 0x00F8: "o", 0x0142: "l", 0x0111: "d",
    0x00FE: "th", 0x0131: "i", 0x0153: "oe", 0x00F0: "d", 0x0127: "h",
    0x0167: "t", 0x014B: "ng", 0x0138: "k", 0x0192: "f", 0x0259: "e",
    0x025B: "e", 0x0254: "o", 0x0292: "z", 0x0268: "i", 0x0289: "u",
    0x0180: "b", 0x0183: "b", 0x0188: "c", 0x018C: "d", 0x0199: "k",
    0x019A: "l", 0x01A5: "p", 0x01AD: "t", 0x01B4: "y", 0x01B6: "z",
    0x0253: "b", 0x0257: "d", 0x0260: "g", 0x0263: "g", 0x0269: "i",
    0x0272: "n", 0x0275: "o", 0x027D: "r", 0x0288: "t", 0x028B: "v",
    0x01DD: "e", 0x0223: "ou", 0x0237: "j", 0x1E9E: "ss", 0x0149: "n",
    0x01BF: "w", 0x021D: "y",
}

# Greek base letters by ELOT 743 (single-letter values; digraphs in C).
GREEK = "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split()
# α γ ε η μ ο start a digraph (αυ ευ ηυ ου, γγ γξ γχ, μπ): translit.c looks ahead
GREEK_CONTEXT = (0, 2, 4, 6, 11, 14)

# vowels and voiced consonants: αυ ευ ηυ before them sound av ev iv, else af ef if
GREEK_VOICED = (0, 1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 14, 16, 20, 24)

# The Greek steps of slug.c's hot loop: one table load a letter. Each two
# bytes of input have a class: the letter, a column (what ELOT 743 asks of
# a next letter) and the state the letter leaves to the letter after it
# inside a word and at a word's start. A step is looked up by (state, letter,
# column of the next two bytes): the state comes from the letter before, not
# from the step before, so the loop carries no chain through the table. The
# letters written follow cd_tr_greek (translit.c), a digraph's second letter
# writing its part (αυ: a then v/f, ου: o then u, word-initial μπ: b then
# nothing). A digraph's second letter (υ, π) is never one that leaves a
# state other than NORMAL, so the letter before tells the state alone.
GS_START, GS_NORMAL, GS_AEH_START, GS_AEH_IN, GS_O, GS_MU = range(6)
GS_NAMES = ("START", "NORMAL", "AEH_START", "AEH_IN", "O", "MU")
# columns: no letter (a byte pair after which no Greek letter can follow),
# maybe one (& of an entity, E1 BC..BF of Greek Extended: the careful path
# decides), bare υ, γ, ξ χ, π, other voiced and voiceless letters
GC_OTHER, GC_CARE, GC_UPS, GC_GAMMA, GC_XCHI, GC_PI, GC_VOICED, GC_VOICELESS = range(8)
G_NONE = 31             # letter of a byte pair that is no Greek letter
G_UPS_DIA = 25          # ϋ: a letter of its own (ends no digraph)
GK_PEND, GK_CARE, GK_REWIND = 1 << 16, 1 << 17, 1 << 18


def greek_leaves(base, dia, at_start):
    """The state a letter leaves to the next one."""
    if base in (0, 4, 6):
        return GS_AEH_START if at_start else GS_AEH_IN
    if base == 14:
        return GS_O
    if base == 11 and at_start:
        return GS_MU
    return GS_NORMAL


def greek_class(base, dia):
    """The class of a Greek letter: column | letter << 3 | the state it
    leaves inside a word << 8 | the state it leaves at a word's start << 11."""
    if base == 20 and not dia:
        col = GC_UPS
    elif base == 2:
        col = GC_GAMMA
    elif base in (13, 22):
        col = GC_XCHI
    elif base == 15:
        col = GC_PI
    else:
        col = GC_VOICED if base in GREEK_VOICED else GC_VOICELESS
    letter = G_UPS_DIA if base == 20 and dia else base
    return (col | letter << 3 | greek_leaves(base, dia, False) << 8
            | greek_leaves(base, dia, True) << 11)


def greek_step(state, letter, col):
    """(letters, flags) of one letter in one state before col."""
    if letter >= 26:
        return ("", GK_CARE)       # never looked up: the careful path
    base = 20 if letter == G_UPS_DIA else letter
    voiced = col in (GC_UPS, GC_GAMMA, GC_VOICED)
    in_word = state != GS_START
    if letter == 20 and state in (GS_AEH_START, GS_AEH_IN):    # the υ of αυ ευ ηυ
        if col == GC_CARE:   # voicing unknown: back to the α ε η, careful path
            return ("\1" if state == GS_AEH_IN else "", GK_CARE | GK_REWIND)
        return ("v" if voiced else "f", 0)
    if letter == 20 and state == GS_O:                          # the υ of ου
        return ("u", 0)
    if letter == 15 and state == GS_MU:                         # the π of μπ
        return ("", 0)
    # a letter on its own, maybe the first of a digraph
    if base in (0, 4, 6, 14, 2) or (base == 11 and not in_word):
        if col == GC_CARE:
            return ("", GK_CARE)
    if base in (0, 4, 6, 14):
        return (GREEK[base], GK_PEND if col == GC_UPS else 0)
    if base == 2:
        return ("n" if col in (GC_GAMMA, GC_XCHI) else "g", 0)
    if base == 11 and not in_word and col == GC_PI:
        return ("b", GK_PEND)
    return (GREEK[base], 0)


def greek_step_entry(state, letter, col):
    s, flags = greek_step(state, letter, col)
    assert len(s) <= 2
    b = s.encode() + b"\0\0"
    n = 0 if flags & GK_CARE else len(s)
    return b[0] | (b[1] << 8) | flags | (n << 30)


def greek_lead_rows():
    """Byte -> row of cd_tr_greek_class: 0 no Greek letter starts here, 1 an
    entity may, 2 E1 (Greek Extended after BC..BF), 3-5 CD CE CF."""
    rows = [0] * 256
    rows[ord("&")] = 1
    rows[0xE1] = 2
    rows[0xCD], rows[0xCE], rows[0xCF] = 3, 4, 5
    return rows


def greek_class_table():
    other, care = GC_OTHER | G_NONE << 3, GC_CARE | G_NONE << 3
    t = [other] * 256 + [care] * 256
    t += [care if 0xBC <= b <= 0xBF else other for b in range(256)]
    for lead in (0xCD, 0xCE, 0xCF):
        for b in range(256):
            v = other
            if 0x80 <= b <= 0xBF:
                cp = ((lead & 0x1F) << 6) | (b & 0x3F)
                g = greek_base(cp) if (cp >= 0x370 and cp in CH) else None
                if g is not None:
                    v = greek_class(g[0], g[1])
            t.append(v)
    return t


# Hangul by Revised Romanization (2000): letters of the initials, vowels and
# finals (at a word's end or before a consonant; carried over to a following
# ㅇ), and the sound changes between two syllables of a word.
HG_INITIAL = ("g kk n d tt r m b pp s ss - j jj ch k t p h").split()
HG_INITIAL[11] = ""
HG_VOWEL = ("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i").split()
HG_CODA = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
           "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]
HG_LIAISON = ["", "g", "kk", "ks", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt",
              "lp", "r", "m", "b", "ps", "s", "ss", "ng", "j", "ch", "k", "t", "p", ""]
HG_CLASS = "-KKK---T-K----P--PPTT-TTKTPT"  # k-, t- and p-sounds among the finals
L_G, L_N, L_D, L_R, L_M, L_NG, L_J, L_H = 0, 2, 3, 5, 6, 11, 12, 18
T_N, T_NH, T_D, T_L, T_LT, T_LH, T_T, T_H = 4, 6, 7, 8, 13, 15, 25, 27
V_I = 20


def hg_boundary(t, l2, v2):
    """letters of final t and the next syllable's initial l2 (its vowel v2)"""
    fin, ini, cls = HG_CODA[t], HG_INITIAL[l2], HG_CLASS[t]
    if t == 0:
        return ini
    if l2 == L_NG:  # liaison, with palatalisation before ㅣ
        fin = HG_LIAISON[t]
        if v2 == V_I and t == T_D:
            fin = "j"
        elif v2 == V_I and t == T_T:
            fin = "ch"
        elif v2 == V_I and t == T_LT:
            fin = "lch"
    elif t in (T_H, T_NH, T_LH):  # ㅎ aspirates what follows
        fin = {T_H: "", T_NH: "n", T_LH: "l"}[t]
        if l2 == L_G:
            ini = "k"
        elif l2 == L_D:
            ini = "t"
        elif l2 == L_J:
            ini = "ch"
        elif l2 == L_N:
            fin = ini = "l" if t == T_LH else "n"
    elif l2 == L_H:
        if t == T_D and v2 == V_I:
            fin, ini = "", "ch"
    elif l2 in (L_N, L_M):  # nasalisation
        if cls == "K":
            fin = "ng"
        elif cls == "T":
            fin = "n"
        elif cls == "P":
            fin = "m"
        elif l2 == L_N and (t == T_L or 11 <= t <= 13):
            fin = ini = "l"
    elif l2 == L_R:
        if t in (T_N, T_L):
            fin = ini = "l"
        elif cls == "K":
            fin, ini = "ng", "n"
        elif cls == "P":
            fin, ini = "m", "n"
        elif cls == "T":
            fin, ini = "n", "n"
        else:
            ini = "n"
    return fin + ini


def hg_pack(letters):
    """up to 7 letters in the low bytes of a 64-bit word, their count in the top one"""
    assert len(letters) <= 7, letters
    v = len(letters) << 56
    for k, ch in enumerate(letters.encode()):
        v |= ch << (8 * k)
    return v


# Cyrillic: Russian as on passports since 2013 (hard and soft signs dropped),
# Ukrainian, Belarusian, Serbian/Macedonian and Kazakh/Central Asian letters.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "є": "ie", "і": "i", "ї": "i", "ґ": "g", "ў": "u",
    "ђ": "dj", "ћ": "c", "џ": "dz", "ј": "j", "љ": "lj", "њ": "nj",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    "қ": "k", "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "ғ": "g", "ң": "n",
    "һ": "h", "ҳ": "h", "ҷ": "j", "ҙ": "z", "ҫ": "s", "ӊ": "n", "ӏ": "",
}

ARABIC = {
    0x0621: "", 0x0622: "a", 0x0623: "a", 0x0624: "u", 0x0625: "i",
    0x0626: "i", 0x0627: "a", 0x0628: "b", 0x0629: "h", 0x062A: "t",
    0x062B: "th", 0x062C: "j", 0x062D: "h", 0x062E: "kh", 0x062F: "d",
    0x0630: "dh", 0x0631: "r", 0x0632: "z", 0x0633: "s", 0x0634: "sh",
    0x0635: "s", 0x0636: "d", 0x0637: "t", 0x0638: "z", 0x0639: "a",
    0x063A: "gh", 0x0640: "", 0x0641: "f", 0x0642: "q", 0x0643: "k",
    0x0644: "l", 0x0645: "m", 0x0646: "n", 0x0647: "h", 0x0648: "w",
    0x0649: "a", 0x064A: "y", 0x0671: "a", 0x067E: "p", 0x0686: "ch",
    0x0698: "zh", 0x06A4: "v", 0x06AF: "g", 0x06A9: "k", 0x06CC: "y",
    0x0679: "t", 0x0688: "d", 0x0691: "r", 0x06BA: "n", 0x06BE: "h",
    0x06C1: "h", 0x06D2: "e", 0x06C0: "h", 0x06D5: "e",
}

HEBREW = {
    0x05D0: "a", 0x05D1: "b", 0x05D2: "g", 0x05D3: "d", 0x05D4: "h",
    0x05D5: "v", 0x05D6: "z", 0x05D7: "ch", 0x05D8: "t", 0x05D9: "y",
    0x05DA: "k", 0x05DB: "k", 0x05DC: "l", 0x05DD: "m", 0x05DE: "m",
    0x05DF: "n", 0x05E0: "n", 0x05E1: "s", 0x05E2: "a", 0x05E3: "f",
    0x05E4: "p", 0x05E5: "ts", 0x05E6: "ts", 0x05E7: "k", 0x05E8: "r",
    0x05E9: "sh", 0x05EA: "t", 0x05F0: "v", 0x05F1: "oy", 0x05F2: "ey",
}

# Code points that vanish without breaking a word.
JOINERS = [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x02BC, 0x0640]

# Locale pre-maps: lowercase letter -> (value, value at the start of a word).
LOCALES = {
    "de": {"ä": "ae", "ö": "oe", "ü": "ue"},
    "da": {"æ": "ae", "ø": "oe", "å": "aa"},
    "nb": {"æ": "ae", "ø": "oe", "å": "aa"},
    "sv": {"å": "a", "ä": "a", "ö": "o", "æ": "ae", "ø": "o"},
    "fi": {"å": "a", "ä": "a", "ö": "o"},
    "sr": {"ћ": "c", "ђ": "dj", "џ": "dz", "đ": "dj", "ч": "c", "ш": "s",
           "ж": "z", "ц": "c", "х": "h", "љ": "lj", "њ": "nj", "ј": "j",
           "ć": "c", "č": "c", "š": "s", "ž": "z"},
    "uk": {"г": "h", "ґ": "g", "и": "y", "є": ("ie", "ye"), "ї": ("i", "yi"),
           "й": ("i", "y"), "ю": ("iu", "yu"), "я": ("ia", "ya"), "х": "kh",
           "ц": "ts", "щ": "shch", "ь": ""},
    "bg": {"ъ": "a", "щ": "sht", "я": "ya", "ю": "yu", "й": "y", "х": "h",
           "ц": "ts", "ь": "y"},
    "ru": {"ъ": "ie", "ё": "e"},
    "tr": {"ı": "i", "ğ": "g", "ş": "s", "ç": "c", "ö": "o", "ü": "u"},
    "vi": {"đ": "d", "ơ": "o", "ư": "u"},
}


# ---- Unicode data ------------------------------------------------------------
def load():
    chars = {}
    first = None
    with open(os.path.join(UDIR, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split(";")
            cp = int(p[0], 16)
            name = p[1]
            rec = {"name": name, "gc": p[2], "ccc": int(p[3]), "dec": p[5],
                   "digit": p[6], "upper": p[12], "lower": p[13]}
            if name.endswith(", First>"):
                first = (cp, rec)
                continue
            if name.endswith(", Last>"):
                for c in range(first[0], cp + 1):
                    chars[c] = dict(first[1], name=name[1:].split(",")[0])
                continue
            chars[cp] = rec
    return chars


CH = load()
VERSION = None
with open(os.path.join(UDIR, "ReadMe.txt"), encoding="utf-8") as f:
    m = re.search(r"Version (\d+\.\d+\.\d+)", f.read())
    VERSION = m.group(1) if m else "unknown"
if VERSION == "unknown":
    with open(os.path.join(UDIR, "CompositionExclusions.txt"), encoding="utf-8") as f:
        m = re.search(r"CompositionExclusions-(\d+\.\d+\.\d+)", f.read())
        VERSION = m.group(1) if m else "unknown"


def lower(cp):
    r = CH.get(cp)
    return int(r["lower"], 16) if r and r["lower"] else cp


def is_upper(cp):
    r = CH.get(cp)
    return bool(r and r["gc"] in ("Lu", "Lt"))


def decomp(cp, compat=True):
    r = CH.get(cp)
    if not r or not r["dec"]:
        return None
    d = r["dec"]
    if d.startswith("<"):
        if not compat:
            return None
        d = d.split(">", 1)[1]
    return [int(x, 16) for x in d.split()]


def full_decomp(cp, compat):
    d = decomp(cp, compat)
    if d is None:
        return [cp]
    out = []
    for c in d:
        out.extend(full_decomp(c, compat))
    return out


def is_mark(cp):
    r = CH.get(cp)
    return bool(r and r["gc"] in ("Mn", "Mc", "Me"))


# ---- Han readings ------------------------------------------------------------
def strip_tones(s):
    out = []
    for ch in s:
        for c in full_decomp(ord(ch), True):
            if c < 0x80:
                out.append(chr(c).lower())
    return "".join(out)


HAN = {}
with bz2.open(os.path.join(UDIR, "Unihan_Readings.txt.bz2"), "rt", encoding="utf-8") as f:
    for line in f:
        if "\tkMandarin\t" not in line:
            continue
        cp, _, val = line.rstrip("\n").split("\t")
        py = strip_tones(val.split()[0])
        if py:
            HAN[int(cp[2:], 16)] = py

# ---- kana (names, Hepburn) ---------------------------------------------------
HEPBURN = {"si": "shi", "zi": "ji", "ti": "chi", "di": "ji", "tu": "tsu",
           "du": "zu", "hu": "fu", "wo": "o", "wi": "i", "we": "e"}


def kana(cp, name):
    m = re.match(r"^(HIRAGANA|KATAKANA) LETTER (SMALL )?([A-Z]+)$", name)
    if m:
        syl = m.group(3).lower()
        if m.group(2):
            if syl == "tu":
                return (K_KANAMOD, "q")          # sokuon: doubles what follows
            if syl in ("ya", "yu", "yo"):
                return (K_KANAMOD, syl)
            if syl in ("a", "i", "u", "e", "o"):
                return (K_KANAMOD, syl)
            if syl == "wa":
                return (K_KANAMOD, "wa")
        return (K_KANA, HEPBURN.get(syl, syl))
    if cp == 0x30FC:
        return (K_KANAMOD, "-")                  # long vowel mark: vanishes
    if cp in (0x309D, 0x309E, 0x30FD, 0x30FE):
        return (K_JOIN, "")
    return None


# ---- one code point ----------------------------------------------------------
def greek_base(cp):
    """(index of the lowercase base letter, diaeresis) or None."""
    d = full_decomp(cp, True)
    base = lower(d[0])
    if not (0x3B1 <= base <= 0x3C9):
        return None
    if any(not is_mark(c) for c in d[1:]):
        return None
    return (base - 0x3B1, 0x308 in d[1:])


def plain(cp, depth=0):
    """ASCII string for cp (lowercase), '' for a joiner, None if unmapped."""
    if cp < 0x80:
        c = chr(cp)
        return c.lower() if c.isalnum() else None
    lc = lower(cp)
    if lc in LATIN:
        return LATIN[lc]
    ch = chr(lc)
    if ch in CYRILLIC:
        return CYRILLIC[ch]
    if cp in ARABIC:
        return ARABIC[cp]
    if cp in HEBREW:
        return HEBREW[cp]
    if cp in JOINERS:
        return ""
    r = CH.get(cp)
    if r is None:
        return None
    if r["gc"] == "Nd" and r["digit"]:
        return r["digit"]
    if r["gc"] in ("Mn", "Me", "Mc"):
        return ""
    if 0xAC00 <= cp <= 0xD7A3:
        return None
    d = decomp(cp, True)
    if d is not None and depth < 8:
        parts = [plain(c, depth + 1) for c in d]
        if all(p is not None for p in parts) and any(parts):
            return "".join(parts)
        return None
    name = r["name"]
    m = re.match(r"^LATIN (?:SMALL|CAPITAL) (?:LETTER|LIGATURE) ([A-Z]{1,2})(?: WITH .*)?$", name)
    if m:
        return m.group(1).lower()
    m = re.match(r"^LATIN LETTER SMALL CAPITAL ([A-Z]{1,2})$", name)
    if m:
        return m.group(1).lower()
    return None


def entry_for(cp):
    """(kind, string-or-value, upper)"""
    up = is_upper(cp)
    if 0xAC00 <= cp <= 0xD7A3:
        return (K_HANGUL, "", False)
    r = CH.get(cp)
    if r is None:
        return (K_SEP, "", False)
    if cp in HAN:
        return (K_WORD, HAN[cp], False)
    k = kana(cp, r["name"])
    if k is not None:
        return (k[0], k[1], False)
    if 0x370 <= cp <= 0x3FF or 0x1F00 <= cp <= 0x1FFF:
        g = greek_base(cp)
        if g is not None:
            if g[0] in GREEK_CONTEXT:   # the first letters of digraphs need C
                return (K_GREEK, g[0] | (32 if g[1] else 0), up)
            return (K_STR, GREEK[g[0]], up)
    # compatibility ideographs decompose to unified ones
    d = decomp(cp, True)
    if d and len(d) == 1 and d[0] in HAN:
        return (K_WORD, HAN[d[0]], False)
    s = plain(cp)
    if s is None:
        return (K_SEP, "", False)
    if s == "":
        return (K_JOIN, "", False)
    return (K_STR, s, up)


# ---- string pool and entries ---------------------------------------------------
pool = []
pool_index = {}
pool_len = 0


def intern(s):
    global pool_len
    if s in pool_index:
        return pool_index[s]
    # reuse a suffix of the pool when it already ends with s
    off = pool_len
    pool.append(s)
    pool_index[s] = off
    pool_len += len(s)
    return off


def encode(kind, val, up):
    if kind in (K_STR, K_WORD, K_KANA, K_KANAMOD):
        assert len(val) < 32, val
        v = intern(val) | (len(val) << 20)
    elif kind == K_GREEK:
        v = val
    else:
        v = 0
    assert v < (1 << 25)
    return v | (kind << 25) | ((1 << 28) if up else 0)


entries = [0]
entry_index = {0: 0}


def entry_id(e):
    if e not in entry_index:
        entry_index[e] = len(entries)
        entries.append(e)
    return entry_index[e]


stage2 = []
stage2_index = {}
stage1 = []
maxlen = 0
for b in range(MAXCP // BLOCK):
    blk = []
    for cp in range(b * BLOCK, (b + 1) * BLOCK):
        if 0xD800 <= cp <= 0xDFFF:
            blk.append(0)
            continue
        k, val, up = entry_for(cp)
        if isinstance(val, str):
            maxlen = max(maxlen, len(val))
        blk.append(entry_id(encode(k, val, up)))
    key = tuple(blk)
    if key not in stage2_index:
        stage2_index[key] = len(stage2)
        stage2.append(key)
    stage1.append(stage2_index[key])

assert len(entries) < 65536

# ---- locale maps -----------------------------------------------------------------
UPPER_OF = {}
for cp, r in CH.items():
    if r["lower"]:
        UPPER_OF.setdefault(int(r["lower"], 16), cp)

locale_rows = {}
for loc, table in LOCALES.items():
    rows = []
    for ch, v in table.items():
        v, init = (v if isinstance(v, tuple) else (v, v))
        lc = ord(ch)
        for cp, up in ((lc, False), (UPPER_OF.get(lc), True)):
            if cp is None:
                continue
            kind = K_STR if v else K_JOIN
            rows.append((cp, encode(kind, v, up),
                         encode(K_STR if init else K_JOIN, init, up)))
    rows.sort()
    locale_rows[loc] = rows

# ---- allow_unicode: class, lowercase, canonical decomposition, ccc ---------------
uni_records = [(0, 0, 0, 0, 0)]
uni_index = {uni_records[0]: 0}
upool = []
upool_index = {}


def uintern(seq):
    key = tuple(seq)
    if key not in upool_index:
        upool_index[key] = len(upool)
        upool.extend(seq)
    return upool_index[key]


def uclass(cp):
    r = CH.get(cp)
    if r is None:
        return 0
    gc = r["gc"]
    if gc[0] in "LN":
        return 1
    if gc[0] == "M":
        return 2
    if cp in (0x200C, 0x200D):
        return 2
    return 0


ustage1 = []
ustage2 = []
ustage2_index = {}
for b in range(MAXCP // BLOCK):
    blk = []
    for cp in range(b * BLOCK, (b + 1) * BLOCK):
        cls = uclass(cp) if not (0xD800 <= cp <= 0xDFFF) else 0
        rec = (0, 0, 0, 0, 0)
        if cls:
            lc = lower(cp)
            delta = lc - cp
            if 0xAC00 <= cp <= 0xD7A3:
                dec = [cp]
            else:
                dec = full_decomp(cp, False)
            doff, dlen = (0, 0)
            if dec != [cp]:
                doff, dlen = uintern(dec), len(dec)
            ccc = CH[cp]["ccc"]
            rec = (cls, ccc, delta, doff, dlen)
        if rec not in uni_index:
            uni_index[rec] = len(uni_records)
            uni_records.append(rec)
        blk.append(uni_index[rec])
    key = tuple(blk)
    if key not in ustage2_index:
        ustage2_index[key] = len(ustage2)
        ustage2.append(key)
    ustage1.append(ustage2_index[key])
assert len(uni_records) < 65536

exclusions = set()
with open(os.path.join(UDIR, "CompositionExclusions.txt"), encoding="utf-8") as f:
    for line in f:
        line = line.split("#")[0].strip()
        if line:
            exclusions.add(int(line.split()[0], 16))
compositions = []
for cp, r in CH.items():
    d = decomp(cp, False)
    if d is None or len(d) != 2 or cp in exclusions:
        continue
    if CH.get(d[0], {}).get("ccc", 0) != 0:   # non-starter decompositions
        continue
    compositions.append(((d[0] << 21) | d[1], cp))
compositions.sort()

# ---- output ---------------------------------------------------------------------------
HEAD = ("/* Generated by tools/gen_translit.py from Unicode %s (UnicodeData.txt,\n"
        " * CompositionExclusions.txt, Unihan_Readings.txt kMandarin) and the\n"
        " * generator's hand tables. Do not edit: run `python3 tools/gen_translit.py`. */\n"
        % VERSION)


def carray(ctype, name, values, per=16, fmt="%d"):
    out = ["const %s %s[%d] = {" % (ctype, name, len(values))]
    for i in range(0, len(values), per):
        out.append("\t" + ", ".join(fmt % v for v in values[i:i + per]) + ",")
    out.append("};")
    return "\n".join(out) + "\n"


def cstring(name, s):
    # padded so that a reader may always load 8 bytes from any offset
    out = ["const char %s[%d] = " % (name, len(s) + 8)]
    for i in range(0, len(s), 72):
        out.append('\t"%s"' % s[i:i + 72])
    out.append('\t"\\0\\0\\0\\0\\0\\0\\0"')
    return "\n".join(out) + ";\n"


pool_str = "".join(pool)  # (the C string gets 8 NUL bytes of padding: see cstring)
with open(os.path.join(ROOT, "plugin", "translit_data.h"), "w") as h:
    h.write(HEAD)
    h.write("#ifndef CD_TRANSLIT_DATA_H\n#define CD_TRANSLIT_DATA_H\n\n#include <stdint.h>\n\n")
    h.write("#define CD_TR_MAXCP 0x%X\n#define CD_TR_SHIFT 7\n#define CD_TR_MAXSTR %d\n\n"
            % (MAXCP, maxlen))
    h.write("/* entry: bits 0-19 pool offset (or Greek letter), 20-24 length, 25-27 kind,\n"
            " * 28 capital letter */\n")
    h.write("enum { CD_TR_SEP, CD_TR_JOIN, CD_TR_STR, CD_TR_WORD, CD_TR_GREEK, CD_TR_KANA,\n"
            "\tCD_TR_KANAMOD, CD_TR_HANGUL };\n\n")
    h.write("typedef struct cd_tr_locale_row { uint32_t cp, entry, initial; } cd_tr_locale_row;\n")
    h.write("typedef struct cd_tr_locale { const char *name; const cd_tr_locale_row *rows;"
            " unsigned count; } cd_tr_locale;\n")
    h.write("typedef struct cd_uni_record { uint8_t cls, ccc; int32_t lower_delta;"
            " uint16_t decomp, decomp_len; } cd_uni_record;\n\n")
    h.write("extern const uint16_t cd_tr_stage1[%d];\n" % len(stage1))
    h.write("extern const uint16_t cd_tr_stage2[%d];\n" % (len(stage2) * BLOCK))
    h.write("extern const uint32_t cd_tr_entries[%d];\n" % len(entries))
    h.write("/* the entries of U+0000..U+07FF (two-byte UTF-8), one load away */\n")
    h.write("extern const uint32_t cd_tr_low[2048];\n")
    h.write("/* Greek letters of U+0370..U+03FF and U+1F00..U+1FFF: 0x80 | diaeresis << 5 |\n"
            " * base letter (0 alpha .. 24 omega), 0 for other code points */\n")
    h.write("extern const uint8_t cd_tr_greek_info[400];\n")
    h.write("/* Greek base letters that are vowels or voiced consonants (αυ -> av) */\n")
    h.write("extern const uint8_t cd_tr_greek_voiced[25];\n")
    h.write("/* Greek in slug.c's hot loop: the byte at p picks a row of 256 classes,\n"
            " * p[1] the class: bits 0-2 a column (what the letters before ask of it),\n"
            " * 3-7 the letter (0..24 the base letters, 25 ϋ, 31 none), 8-10 the state\n"
            " * it leaves to the next letter, 11-13 the same at a word's start. A step is\n"
            " * cd_tr_greek_step[state << 8 | letter << 3 | column of the next]: bits\n"
            " * 0-15 the letters to write, 30-31 how many, and the flags CD_GK_* (with\n"
            " * CARE and REWIND, bit 0: the letter before was inside a word) */\n")
    for i, nm in enumerate(GS_NAMES):
        h.write("#define CD_GK_%s %d\n" % (nm, i))
    h.write("#define CD_GK_LETTER %d /* columns from here on are letters */\n" % GC_UPS)
    h.write("#define CD_GK_PEND 0x%XU /* a digraph's second letter is next */\n" % GK_PEND)
    h.write("#define CD_GK_CARE 0x%XU /* only the careful path can tell */\n" % GK_CARE)
    h.write("#define CD_GK_REWIND 0x%XU /* ... from the letter before */\n" % GK_REWIND)
    h.write("extern const uint8_t cd_tr_greek_lead[256];\n")
    h.write("extern const uint16_t cd_tr_greek_class[%d];\n" % len(greek_class_table()))
    h.write("extern const uint32_t cd_tr_greek_step[%d];\n" % (len(GS_NAMES) * 32 * 8))
    h.write("/* Hangul, letters packed in a 64-bit word (count in the top byte): an\n"
            " * initial and vowel by l * 21 + v, a vowel alone, a final at a word's end,\n"
            " * and a final with the next syllable's initial by t * 21 + l2 (column 19:\n"
            " * initial ㅇ before ㅣ, 20: ㅎ before ㅣ) */\n")
    h.write("extern const uint64_t cd_tr_hangul_lv[399];\n")
    h.write("extern const uint64_t cd_tr_hangul_v[21];\n")
    h.write("extern const uint64_t cd_tr_hangul_coda[28];\n")
    h.write("extern const uint64_t cd_tr_hangul_pair[588];\n")
    h.write("extern const char cd_tr_pool[%d]; /* 8 NUL bytes of padding */\n" % (len(pool_str) + 8))
    h.write("extern const cd_tr_locale cd_tr_locales[%d];\n" % len(LOCALES))
    h.write("#define CD_TR_LOCALE_COUNT %d\n" % len(LOCALES))
    h.write("extern const uint16_t cd_uni_stage1[%d];\n" % len(ustage1))
    h.write("extern const uint16_t cd_uni_stage2[%d];\n" % (len(ustage2) * BLOCK))
    h.write("extern const cd_uni_record cd_uni_records[%d];\n" % len(uni_records))
    h.write("extern const uint32_t cd_uni_decomp[%d];\n" % max(1, len(upool)))
    h.write("extern const uint64_t cd_uni_compose_keys[%d];\n" % len(compositions))
    h.write("extern const uint32_t cd_uni_compose_values[%d];\n" % len(compositions))
    h.write("#define CD_UNI_COMPOSE_COUNT %d\n" % len(compositions))
    h.write("\n#endif\n")

with open(os.path.join(ROOT, "plugin", "translit_data.c"), "w") as c:
    c.write(HEAD)
    c.write("#include \"translit_data.h\"\n\n")
    c.write(carray("uint16_t", "cd_tr_stage1", stage1))
    c.write(carray("uint16_t", "cd_tr_stage2", [v for blk in stage2 for v in blk]))
    c.write(carray("uint32_t", "cd_tr_entries", entries, 8, "0x%08X"))
    low = [entries[stage2[stage1[cp // BLOCK]][cp % BLOCK]] for cp in range(2048)]
    ginfo = []
    for cp in list(range(0x370, 0x400)) + list(range(0x1F00, 0x2000)):
        g = greek_base(cp) if cp in CH else None
        ginfo.append(0 if g is None else 0x80 | (32 if g[1] else 0) | g[0])
    c.write(carray("uint8_t", "cd_tr_greek_info", ginfo))
    c.write(carray("uint8_t", "cd_tr_greek_voiced",
                   [1 if b in GREEK_VOICED else 0 for b in range(25)], 25))
    c.write(carray("uint8_t", "cd_tr_greek_lead", greek_lead_rows()))
    c.write(carray("uint16_t", "cd_tr_greek_class", greek_class_table(), 8, "0x%04X"))
    c.write(carray("uint32_t", "cd_tr_greek_step",
                   [greek_step_entry(st, g, col) for st in range(len(GS_NAMES))
                    for g in range(32) for col in range(8)], 8, "0x%08X"))
    hx = "UINT64_C(0x%016X)"
    c.write(carray("uint64_t", "cd_tr_hangul_lv",
                   [hg_pack(HG_INITIAL[l] + HG_VOWEL[v]) for l in range(19) for v in range(21)],
                   3, hx))
    c.write(carray("uint64_t", "cd_tr_hangul_v", [hg_pack(v) for v in HG_VOWEL], 3, hx))
    c.write(carray("uint64_t", "cd_tr_hangul_coda", [hg_pack(f) for f in HG_CODA], 3, hx))
    pairs = []
    for t in range(28):
        for col in range(21):
            l2, v2 = (col, 0) if col < 19 else ((L_NG, V_I) if col == 19 else (L_H, V_I))
            pairs.append(hg_pack(hg_boundary(t, l2, v2)))
    c.write(carray("uint64_t", "cd_tr_hangul_pair", pairs, 3, hx))
    c.write(carray("uint32_t", "cd_tr_low", low, 8, "0x%08X"))
    c.write(cstring("cd_tr_pool", pool_str))
    for loc, rows in locale_rows.items():
        c.write("static const cd_tr_locale_row locale_%s[] = {\n" % loc)
        for r in rows:
            c.write("\t{ 0x%04X, 0x%08X, 0x%08X },\n" % r)
        c.write("};\n")
    c.write("const cd_tr_locale cd_tr_locales[%d] = {\n" % len(LOCALES))
    for loc in sorted(LOCALES):
        c.write("\t{ \"%s\", locale_%s, %d },\n" % (loc, loc, len(locale_rows[loc])))
    c.write("};\n")
    c.write(carray("uint16_t", "cd_uni_stage1", ustage1))
    c.write(carray("uint16_t", "cd_uni_stage2", [v for blk in ustage2 for v in blk]))
    c.write("const cd_uni_record cd_uni_records[%d] = {\n" % len(uni_records))
    for r in uni_records:
        c.write("\t{ %d, %d, %d, %d, %d },\n" % r)
    c.write("};\n")
    c.write(carray("uint32_t", "cd_uni_decomp", upool or [0], 8, "0x%04X"))
    c.write(carray("uint64_t", "cd_uni_compose_keys", [k for k, _ in compositions], 4,
                   "UINT64_C(0x%X)"))
    c.write(carray("uint32_t", "cd_uni_compose_values", [v for _, v in compositions], 8,
                   "0x%04X"))

print("translit: %d blocks, %d entries, pool %d bytes; unicode: %d blocks, %d records; "
      "%d compositions; Han %d" % (len(stage2), len(entries), len(pool_str), len(ustage2),
                                   len(uni_records), len(compositions), len(HAN)),
      file=sys.stderr)
