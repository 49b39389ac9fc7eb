/**
 * What names must be. A service name is a hostname and, as such, the NATS queue group its
 * replicas subscribe under (MODEL.md §1: `cart.example`), so it follows the hostname rule.
 * Every other name (zones, regions, bundles, databases, shards, externals, clusters, groups)
 * is free text for the reader, but no text in a document may hide what it says: control
 * characters, bidirectional overrides and invisible characters are refused everywhere.
 */

/** C0 and C1 controls, DEL, bidi marks/embeddings/overrides/isolates, zero-width characters and the BOM. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** The first hidden character of `s` as `U+202E`, or undefined when there is none. */
export function hiddenCharacter(s: string): string | undefined {
  if (!HIDDEN.test(s)) return undefined; // the common case, without a match object
  const m = HIDDEN.exec(s);
  return m ? `U+${(m[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

export const SERVICE_NAME_RULE =
  'a service name is a hostname (also its NATS queue group): lower-case letters a–z, digits and hyphens, in dot-separated labels of 1–63 characters that start and end with a letter or digit, at most 253 characters, e.g. "cart.example"';

/** Whether `name` is a valid service name (see SERVICE_NAME_RULE). */
export function isServiceName(name: string): boolean {
  return name.length <= 253 && HOSTNAME.test(name);
}

/** A valid service name close to `name` (for the message), or undefined when none is obvious. */
export function suggestServiceName(name: string): string | undefined {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .split('.')
    .map((l) =>
      l
        .replace(/^-+|-+$/g, '')
        .slice(0, 63)
        .replace(/-+$/, ''),
    )
    .filter(Boolean)
    .join('.')
    .slice(0, 253);
  return s && isServiceName(s) && s !== name ? s : undefined;
}
