/**
 * Names Kubernetes accepts, derived from the design's names by a stable mapping that never
 * makes two names collide.
 *
 * A name that is already valid is kept as it is (`shop`, `us-east-1a`), so the exported
 * objects read like the design. Anything else (spaces, capitals, dots) is cleaned up
 * (`My Shop` → `my-shop`); only a name cut to fit, or one that would land on a name already
 * handed out (`My Shop` and `my.shop` in one design), gets a short hash of the original, so
 * names stay distinct and the same design yields the same names, export after export.
 */
import { fnv1a } from '../hash.ts';

/** Object names (Deployment, ConfigMap, HPA, PDB, StatefulSet, container, namespace). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Service names: a DNS-1035 label also starts with a letter. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A label value: up to 63 of [A-Za-z0-9._-], alphanumeric at both ends (may be empty). */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const MAX_LABEL = 63;

export type NameRule = 'dns1123' | 'dns1035';

export function isDns1123Label(s: string): boolean {
  return s.length <= MAX_LABEL && DNS1123_LABEL.test(s);
}
export function isDns1035Label(s: string): boolean {
  return s.length <= MAX_LABEL && DNS1035_LABEL.test(s);
}
export function isLabelValue(s: string): boolean {
  return s.length <= MAX_LABEL && LABEL_VALUE.test(s);
}

export { fnv1a };

/** Six base-36 characters of the hash of `s` (2.2 billion values). */
export function shortHash(s: string): string {
  return (fnv1a(s) % 36 ** 6).toString(36).padStart(6, '0');
}

/** Lower case, accents dropped, every run of other characters one '-', no '-' at the ends. */
export function sanitize(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function valid(s: string, rule: NameRule, max: number): boolean {
  return s.length > 0 && s.length <= max && (rule === 'dns1035' ? DNS1035_LABEL : DNS1123_LABEL).test(s);
}

function hashed(parts: readonly string[], rule: NameRule, max: number, salt: number): string {
  const hash = shortHash(`${parts.join('\u0000')}${salt ? `\u0000${salt}` : ''}`);
  let base = parts.map(sanitize).filter(Boolean).join('-') || 'x';
  if (rule === 'dns1035' && !/^[a-z]/.test(base)) base = `x-${base}`;
  base = base.slice(0, max - hash.length - 1).replace(/-+$/, '');
  return `${base}-${hash}`;
}

/**
 * The name for a key made of design names (`['shop', 'us-east-1a']` → `shop-us-east-1a`,
 * `['My Shop']` → `my-shop`): the parts cleaned and joined; a hash of the original parts is
 * added only where the cleaned name would be empty, start wrongly or not fit.
 */
export function kubeName(parts: readonly string[], rule: NameRule = 'dns1123', max = MAX_LABEL): string {
  const cleaned = parts.map(sanitize).filter(Boolean).join('-');
  if (valid(cleaned, rule, max)) return cleaned;
  return hashed(parts, rule, max, 0);
}

/**
 * Hands out names of one kind within one export, and guarantees no two keys share a name:
 * on the (astronomically rare) clash, the later key gets a salted hash instead.
 */
export class Namer {
  private readonly byKey = new Map<string, string>();
  private readonly owner = new Map<string, string>();

  /**
   * @param suffixes every name also claims `name + suffix` (a NATS cluster's Service `nats`
   *   also claims `nats-headless`), so a derived name never lands on another's companion.
   */
  constructor(
    private readonly rule: NameRule = 'dns1123',
    private readonly max = MAX_LABEL,
    private readonly suffixes: readonly string[] = [''],
  ) {}

  /**
   * The name for `parts` (joined by '-'). `scope` tells apart keys that spell the same, e.g.
   * a bundle called `nats` and the NATS cluster `nats`: the first asked keeps the plain name.
   */
  name(scope: string, ...parts: string[]): string {
    const key = [scope, ...parts].join('\u0000');
    const known = this.byKey.get(key);
    if (known) return known;
    let candidate = kubeName(parts, this.rule, this.max);
    for (let salt = 1; this.suffixes.some((s) => this.owner.has(candidate + s)); salt++) candidate = hashed(parts, this.rule, this.max, salt);
    for (const s of this.suffixes) this.owner.set(candidate + s, key);
    this.byKey.set(key, candidate);
    return candidate;
  }
}

/**
 * A label value for free text (a design's name): kept when valid, else cleaned
 * (`Microbus shop` → `microbus-shop`). Label values need not be unique, so no hash.
 */
export function labelValue(raw: string, fallback = 'busboard'): string {
  if (isLabelValue(raw) && raw !== '') return raw;
  const cleaned = sanitize(raw).slice(0, MAX_LABEL).replace(/-+$/, '');
  return cleaned || fallback;
}

/**
 * A zone's Microbus locality, broadest part first, in the form Microbus itself derives from
 * the cloud's metadata (`AWS`: `us-east-1a` → `us-east-1-a`; `GCP`: `us-east1-b` →
 * `us-east-1-b`), so a replica pinned to a zone by the manifest and one that asked the cloud
 * agree. A zone that does not extend its region's name gets `<region>-<zone>`, so replicas
 * of one region still share the longest common prefix.
 */
export function microbusLocality(zone: string, region: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-+|-+$/g, '');
  // GCP writes its regions `us-east1`; Microbus splits letters from the first digit.
  const splitDigits = (s: string) => s.replace(/([a-z])(\d)/, '$1-$2');
  const z = zone.trim();
  const r = region.trim();
  if (r && z.toLowerCase().startsWith(r.toLowerCase()) && z.length > r.length) {
    const rest = z.slice(r.length).replace(/^[-.]+/, '');
    return clean(`${splitDigits(clean(r))}-${rest}`) || 'zone';
  }
  return clean(r ? `${r}-${z}` : z) || 'zone';
}

/**
 * The same locality in Microbus v1.x's form: dotted, most specific part first
 * (`us-east-1-a` → `a.1.east.us`), as v1.x derives it from the cloud's zone name.
 */
export function microbusV1Locality(hyphenForm: string): string {
  return hyphenForm.split('-').filter(Boolean).reverse().join('.');
}
