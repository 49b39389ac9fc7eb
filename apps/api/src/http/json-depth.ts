/**
 * How deeply JSON text nests, measured before it is parsed: a request nesting thousands of
 * levels parses, but then overflows the stack of whatever walks it (HTTP 500). No Busboard
 * document nests more than a dozen levels, so anything past `MAX_JSON_DEPTH` is refused as a
 * bad request, saying where.
 */
export const MAX_JSON_DEPTH = 64;

/** The position where `text` first nests deeper than `max` arrays and objects, or -1. Strings are skipped. */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}
