/**
 * Validation of topology documents: structure (zod) and then the cross-references zod cannot
 * see (call targets, bundle membership, zones, cycles). Every problem names its path in the
 * form MODEL.md uses: `services[3].calls[0].to: no service "cart.exmple"`.
 */
import type { z } from 'zod';
import { migrate } from './migrations.ts';
import { compileQuickCheck, type QuickCheck } from './quick-check.ts';
import { type Topology, TopologySchema } from './topology.ts';

export interface Problem {
  /** Where, e.g. `services[3].calls[0].to`; empty for the document itself. */
  path: string;
  /** What is wrong and, where it helps, how to fix it. */
  message: string;
}

export type ParseResult = { ok: true; doc: Topology } | { ok: false; problems: Problem[] };

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats a zod-style path as `services[3].calls[0].to` (odd keys as `replicas["us-east-1a"]`). */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENT.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

export function formatProblem(p: Problem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v === 'string' ? `"${v}"` : typeof v;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg as string];
  }
  return cur;
}

function zodProblems(error: z.ZodError, input: unknown): Problem[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type') {
      const got = valueAt(input, issue.path);
      message = got === undefined ? `required (${issue.expected})` : `expected ${issue.expected}, got ${describeType(got)}`;
    } else if (issue.code === 'too_small' && issue.origin === 'number') {
      message = issue.inclusive ? `must be ≥ ${issue.minimum}` : `must be > ${issue.minimum}`;
    } else if (issue.code === 'invalid_value' && path === 'schema') {
      message = `unknown schema ${describeType(valueAt(input, issue.path))}; expected "busboard.topology/v1"`;
    } else if (issue.code === 'unrecognized_keys') {
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return { path, message };
  });
}

type Loose = Record<string, unknown>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Loose => v !== null && typeof v === 'object' && !Array.isArray(v);
const obj = (v: unknown): Loose => (isObj(v) ? v : {});
/** `obj(v)[key]` without making an empty object for a value that is not one. */
const field = (v: unknown, key: string): unknown => (isObj(v) ? v[key] : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

/*
 * The checks below run on every save the API takes, so they are plain indexed loops over the
 * input (no callbacks, no copies): a 200-service design is checked in a few tens of µs. The
 * order in which problems are found is part of the contract (the first one heads the message).
 */

/**
 * Checks the rules that span the document: names, references, membership, cycles. It reads
 * the raw input leniently, so a document with structural problems still gets its reference
 * problems listed too: the user sees everything to fix at once.
 */
export function crossCheck(input: unknown): Problem[] {
  const doc = obj(input);
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const names = (key: string, what: string) => {
    const seen = new Map<string, number>();
    const items = list(doc[key]);
    for (let i = 0; i < items.length; i++) {
      const name = str(field(items[i], 'name'));
      if (!name) continue;
      const first = seen.get(name);
      if (first !== undefined) add(`${key}[${i}].name`, `duplicate ${what} "${name}" (also ${key}[${first}])`);
      else seen.set(name, i);
    }
    return seen;
  };

  const zones = names('zones', 'zone');
  const services = names('services', 'service');
  const externals = names('externals', 'external');
  const databases = names('databases', 'database');
  names('bundles', 'bundle');
  names('nats', 'NATS cluster');
  const zoneList = list(doc.zones);
  const regions = new Set<string | undefined>();
  for (let i = 0; i < zoneList.length; i++) regions.add(str(field(zoneList[i], 'region')));

  const nats = list(doc.nats);
  for (let i = 0; i < nats.length; i++) {
    const region = str(field(nats[i], 'region'));
    if (region && !regions.has(region)) add(`nats[${i}].region`, `no zone is in region "${region}"`);
  }

  const svcs = list(doc.services);
  for (let i = 0; i < svcs.length; i++) {
    const calls = list(field(svcs[i], 'calls'));
    for (let j = 0; j < calls.length; j++) {
      const to = str(field(calls[j], 'to'));
      if (!to) continue;
      if (to.startsWith('db:')) {
        if (!databases.has(to.slice(3))) add(`services[${i}].calls[${j}].to`, `no database "${to.slice(3)}"`);
      } else if (to.startsWith('ext:')) {
        if (!externals.has(to.slice(4))) add(`services[${i}].calls[${j}].to`, `no external "${to.slice(4)}"`);
      } else if (!services.has(to)) {
        add(`services[${i}].calls[${j}].to`, `no service "${to}"`);
      }
    }
  }

  const bundles = list(doc.bundles);
  const owner = new Map<string, number>();
  for (let i = 0; i < bundles.length; i++) {
    const b = bundles[i];
    const members = list(field(b, 'services'));
    for (let j = 0; j < members.length; j++) {
      const svc = str(members[j]);
      if (!svc) continue;
      const path = `bundles[${i}].services[${j}]`;
      if (!services.has(svc)) add(path, `no service "${svc}"`);
      const prev = owner.get(svc);
      if (prev === i) add(path, `service "${svc}" is listed twice`);
      else if (prev !== undefined)
        add(path, `service "${svc}" is already in bundle "${str(field(bundles[prev], 'name'))}"; a service belongs to one bundle`);
      else owner.set(svc, i);
    }
    for (const zone of Object.keys(obj(field(b, 'replicas')))) {
      if (!zones.has(zone)) add(formatPath(['bundles', i, 'replicas', zone]), `no zone "${zone}"`);
    }
    const auto = obj(field(b, 'autoscale'));
    if (typeof auto.min === 'number' && typeof auto.max === 'number' && auto.min > auto.max) {
      add(`bundles[${i}].autoscale.min`, `must not exceed max (${auto.max})`);
    }
  }
  for (let i = 0; i < svcs.length; i++) {
    const name = str(field(svcs[i], 'name'));
    if (name && !owner.has(name)) add(`services[${i}]`, `service "${name}" is in no bundle; add it to one`);
  }

  const traffic = list(doc.traffic);
  for (let i = 0; i < traffic.length; i++) {
    const entry = str(field(traffic[i], 'entry'));
    if (entry && !services.has(entry)) add(`traffic[${i}].entry`, `no service "${entry}"`);
    for (const zone of Object.keys(obj(field(traffic[i], 'zones')))) {
      if (!zones.has(zone)) add(formatPath(['traffic', i, 'zones', zone]), `no zone "${zone}"`);
    }
  }
  const slos = list(doc.slo);
  for (let i = 0; i < slos.length; i++) {
    const slo = obj(slos[i]);
    const entry = str(slo.entry);
    if (entry && !services.has(entry)) add(`slo[${i}].entry`, `no service "${entry}"`);
    if (slo.p50Ms === undefined && slo.p95Ms === undefined && slo.p99Ms === undefined) {
      add(`slo[${i}]`, 'needs at least one of p50Ms, p95Ms, p99Ms');
    }
  }

  for (const p of findCycles(svcs)) problems.push(p);
  return problems;
}

/** A call cycle has no finite load: refuse it, naming the call that closes it. */
function findCycles(services: unknown[]): Problem[] {
  const n = services.length;
  const names: string[] = new Array(n);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    names[i] = str(field(services[i], 'name')) ?? '';
    // The last service of a name is the one calls reach (as the map built from the list has it).
    index.set(names[i] as string, i);
  }
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const problems: Problem[] = [];
  const stack: string[] = [];
  const visit = (i: number) => {
    state[i] = 1;
    stack.push(names[i] as string);
    const calls = list(field(services[i], 'calls'));
    for (let j = 0; j < calls.length; j++) {
      const to = str(field(calls[j], 'to')) ?? '';
      const k = index.get(to);
      if (k === undefined || !to) continue;
      if (state[k] === 1) {
        const loop = [...stack.slice(stack.indexOf(to)), to].join(' → ');
        problems.push({ path: `services[${i}].calls[${j}].to`, message: `call cycle ${loop}; calls must form a DAG` });
      } else if (state[k] === 0) visit(k);
    }
    stack.pop();
    state[i] = 2;
  };
  for (let i = 0; i < n; i++) if (state[i] === 0) visit(i);
  return problems;
}

/** The document at the current version, or why it cannot be read at all. */
function prepare(input: unknown): { ok: true; doc: Record<string, unknown> } | { ok: false; problems: Problem[] } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '', message: `a topology document must be an object, got ${describeType(input)}` }] };
  }
  return migrate(input as Record<string, unknown>);
}

function parseMigrated(doc: Record<string, unknown>): ParseResult {
  const parsed = TopologySchema.safeParse(doc);
  const problems = [...(parsed.success ? [] : zodProblems(parsed.error, doc)), ...crossCheck(doc)];
  if (problems.length || !parsed.success) return { ok: false, problems };
  return { ok: true, doc: parsed.data };
}

/**
 * Parses any value (already decoded from YAML/JSON) into a valid current-version document,
 * migrating older versions first. Never throws for bad input: every problem is returned.
 */
export function parseTopology(input: unknown): ParseResult {
  const prepared = prepare(input);
  return prepared.ok ? parseMigrated(prepared.doc) : prepared;
}

let quick: QuickCheck | undefined | null = null;

/**
 * The problems `parseTopology` would report (none for a valid document), without building the
 * parsed document: for callers that keep the document as written (the API's saves). A document
 * the schema accepts is checked by a compiled yes/no validator (quick-check.ts) instead of zod,
 * several times faster; anything else still goes through zod for its exact problems.
 */
export function checkTopology(input: unknown): Problem[] {
  const prepared = prepare(input);
  if (!prepared.ok) return prepared.problems;
  if (quick === null) quick = compileQuickCheck(TopologySchema);
  if (quick?.(prepared.doc)) return crossCheck(prepared.doc);
  const parsed = parseMigrated(prepared.doc);
  return parsed.ok ? [] : parsed.problems;
}
