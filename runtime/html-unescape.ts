/**
 * Python's `html.unescape` (what markupsafe's `striptags` ends with): numeric character
 * references, with the HTML standard's replacements for C1 controls, surrogates and
 * out-of-range numbers, and named ones. flowc knows the named references of HTML 4 (with the
 * standard's rule for the old ones written without `;`); a name only HTML 5 has (`&check;`)
 * stays as written, where Python replaces it.
 */

/** The named references of HTML 4 (and the upper-case `AMP`, `GT`, `LT`, `QUOT`, `COPY`, `REG`), as name and code point (hex). */
const NAMED = "AElig:c6 AMP:26 Aacute:c1 Acirc:c2 Agrave:c0 Alpha:391 Aring:c5 Atilde:c3 Auml:c4 Beta:392 COPY:a9 Ccedil:c7 Chi:3a7 Dagger:2021 Delta:394 ETH:d0 Eacute:c9 Ecirc:ca Egrave:c8 Epsilon:395 Eta:397 Euml:cb GT:3e Gamma:393 Iacute:cd Icirc:ce Igrave:cc Iota:399 Iuml:cf Kappa:39a LT:3c Lambda:39b Mu:39c Ntilde:d1 Nu:39d OElig:152 Oacute:d3 Ocirc:d4 Ograve:d2 Omega:3a9 Omicron:39f Oslash:d8 Otilde:d5 Ouml:d6 Phi:3a6 Pi:3a0 Prime:2033 Psi:3a8 QUOT:22 REG:ae Rho:3a1 Scaron:160 Sigma:3a3 THORN:de Tau:3a4 Theta:398 Uacute:da Ucirc:db Ugrave:d9 Upsilon:3a5 Uuml:dc Xi:39e Yacute:dd Yuml:178 Zeta:396 aacute:e1 acirc:e2 acute:b4 aelig:e6 agrave:e0 alefsym:2135 alpha:3b1 amp:26 and:2227 ang:2220 aring:e5 asymp:2248 atilde:e3 auml:e4 bdquo:201e beta:3b2 brvbar:a6 bull:2022 cap:2229 ccedil:e7 cedil:b8 cent:a2 chi:3c7 circ:2c6 clubs:2663 cong:2245 copy:a9 crarr:21b5 cup:222a curren:a4 dArr:21d3 dagger:2020 darr:2193 deg:b0 delta:3b4 diams:2666 divide:f7 eacute:e9 ecirc:ea egrave:e8 empty:2205 emsp:2003 ensp:2002 epsilon:3b5 equiv:2261 eta:3b7 eth:f0 euml:eb euro:20ac exist:2203 fnof:192 forall:2200 frac12:bd frac14:bc frac34:be frasl:2044 gamma:3b3 ge:2265 gt:3e hArr:21d4 harr:2194 hearts:2665 hellip:2026 iacute:ed icirc:ee iexcl:a1 igrave:ec image:2111 infin:221e int:222b iota:3b9 iquest:bf isin:2208 iuml:ef kappa:3ba lArr:21d0 lambda:3bb lang:2329 laquo:ab larr:2190 lceil:2308 ldquo:201c le:2264 lfloor:230a lowast:2217 loz:25ca lrm:200e lsaquo:2039 lsquo:2018 lt:3c macr:af mdash:2014 micro:b5 middot:b7 minus:2212 mu:3bc nabla:2207 nbsp:a0 ndash:2013 ne:2260 ni:220b not:ac notin:2209 nsub:2284 ntilde:f1 nu:3bd oacute:f3 ocirc:f4 oelig:153 ograve:f2 oline:203e omega:3c9 omicron:3bf oplus:2295 or:2228 ordf:aa ordm:ba oslash:f8 otilde:f5 otimes:2297 ouml:f6 para:b6 part:2202 permil:2030 perp:22a5 phi:3c6 pi:3c0 piv:3d6 plusmn:b1 pound:a3 prime:2032 prod:220f prop:221d psi:3c8 quot:22 rArr:21d2 radic:221a rang:232a raquo:bb rarr:2192 rceil:2309 rdquo:201d real:211c reg:ae rfloor:230b rho:3c1 rlm:200f rsaquo:203a rsquo:2019 sbquo:201a scaron:161 sdot:22c5 sect:a7 shy:ad sigma:3c3 sigmaf:3c2 sim:223c spades:2660 sub:2282 sube:2286 sum:2211 sup:2283 sup1:b9 sup2:b2 sup3:b3 supe:2287 szlig:df tau:3c4 there4:2234 theta:3b8 thetasym:3d1 thinsp:2009 thorn:fe tilde:2dc times:d7 trade:2122 uArr:21d1 uacute:fa uarr:2191 ucirc:fb ugrave:f9 uml:a8 upsih:3d2 upsilon:3c5 uuml:fc weierp:2118 xi:3be yacute:fd yen:a5 yuml:ff zeta:3b6 zwj:200d zwnj:200c";
/** The names the HTML standard also reads without a `;`. */
const WITHOUT_SEMICOLON = "AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml brvbar ccedil cedil cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave iquest iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml para plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml uuml yacute yen yuml";

let named: Map<string, string> | undefined;
let legacy: Set<string> | undefined;

function namedTable(): Map<string, string> {
  return (named ??= new Map(NAMED.split(" ").map((entry) => {
    const [name, code] = entry.split(":") as [string, string];
    return [name, String.fromCodePoint(parseInt(code, 16))];
  })));
}

/** The C1 controls (and NUL, CR) a numeric reference stands for something else in, by the HTML standard. */
const REPLACED: Readonly<Record<number, number>> = {
  0x00: 0xfffd, 0x0d: 0x0d, 0x80: 0x20ac, 0x81: 0x81, 0x82: 0x201a, 0x83: 0x192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x2c6, 0x89: 0x2030, 0x8a: 0x160, 0x8b: 0x2039, 0x8c: 0x152, 0x8d: 0x8d, 0x8e: 0x17d, 0x8f: 0x8f, 0x90: 0x90, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x2dc, 0x99: 0x2122, 0x9a: 0x161, 0x9b: 0x203a,
  0x9c: 0x153, 0x9d: 0x9d, 0x9e: 0x17e, 0x9f: 0x178,
};

/** Code points a numeric reference gives nothing for: controls and non-characters. */
function dropped(code: number): boolean {
  return (code >= 0x1 && code <= 0x8) || code === 0xb || (code >= 0xe && code <= 0x1f) || (code >= 0x7f && code <= 0x9f) || (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe;
}

function numeric(reference: string): string {
  const hex = reference[1] === "x" || reference[1] === "X";
  const digits = reference.slice(hex ? 2 : 1).replace(/;$/, "");
  const big = BigInt(hex ? `0x${digits}` : digits);
  if (big > 0x10ffffn) return "\ufffd";
  const code = Number(big);
  if (Object.hasOwn(REPLACED, code)) return String.fromCodePoint(REPLACED[code]!);
  if (code >= 0xd800 && code <= 0xdfff) return "\ufffd";
  if (dropped(code)) return "";
  return String.fromCodePoint(code);
}

function namedReference(reference: string): string {
  const table = namedTable();
  legacy ??= new Set(WITHOUT_SEMICOLON.split(" "));
  if (reference.endsWith(";") ? table.has(reference.slice(0, -1)) : legacy.has(reference)) return table.get(reference.replace(/;$/, ""))!;
  // The longest name the standard reads without `;` that starts the reference.
  const points = [...reference];
  for (let length = points.length - 1; length > 1; length--) {
    const prefix = points.slice(0, length).join("");
    if (legacy.has(prefix)) return table.get(prefix)! + points.slice(length).join("");
  }
  return "&" + reference;
}

const REFERENCE = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/gu;

/** Python's `html.unescape(text)` (HTML 4's named references only). */
export function htmlUnescape(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(REFERENCE, (_, reference: string) => (reference[0] === "#" ? numeric(reference) : namedReference(reference)));
}
