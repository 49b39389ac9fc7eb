/**
 * Validation of topology documents: structure (zod) and then the cross-references zod cannot
 * see (call targets, bundle membership, zones, cycles). Every problem names its path in the
 * form MODEL.md uses: `services[3].calls[0].to: no service "cart.exmple"`.
 */
import type { z } from 'zod';
import { migrate } from './migrations.ts';
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
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : undefined);

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
    list(doc[key]).forEach((it, i) => {
      const name = str(obj(it).name);
      if (!name) return;
      const first = seen.get(name);
      if (first !== undefined) add(`${key}[${i}].name`, `duplicate ${what} "${name}" (also ${key}[${first}])`);
      else seen.set(name, i);
    });
    return seen;
  };

  const zones = names('zones', 'zone');
  const services = names('services', 'service');
  const externals = names('externals', 'external');
  const databases = names('databases', 'database');
  const bundles = list(doc.bundles).map(obj);
  names('bundles', 'bundle');
  names('nats', 'NATS cluster');
  const regions = new Set(list(doc.zones).map((z) => str(obj(z).region)));

  list(doc.nats).forEach((n, i) => {
    const region = str(obj(n).region);
    if (region && !regions.has(region)) add(`nats[${i}].region`, `no zone is in region "${region}"`);
  });

  list(doc.services).forEach((s, i) => {
    list(obj(s).calls).forEach((c, j) => {
      const to = str(obj(c).to);
      if (!to) return;
      const path = `services[${i}].calls[${j}].to`;
      if (to.startsWith('db:')) {
        if (!databases.has(to.slice(3))) add(path, `no database "${to.slice(3)}"`);
      } else if (to.startsWith('ext:')) {
        if (!externals.has(to.slice(4))) add(path, `no external "${to.slice(4)}"`);
      } else if (!services.has(to)) {
        add(path, `no service "${to}"`);
      }
    });
  });

  const owner = new Map<string, number>();
  bundles.forEach((b, i) => {
    list(b.services).forEach((v, j) => {
      const svc = str(v);
      if (!svc) return;
      const path = `bundles[${i}].services[${j}]`;
      if (!services.has(svc)) add(path, `no service "${svc}"`);
      const prev = owner.get(svc);
      if (prev === i) add(path, `service "${svc}" is listed twice`);
      else if (prev !== undefined) add(path, `service "${svc}" is already in bundle "${str(bundles[prev]?.name)}"; a service belongs to one bundle`);
      else owner.set(svc, i);
    });
    for (const zone of Object.keys(obj(b.replicas))) {
      if (!zones.has(zone)) add(formatPath(['bundles', i, 'replicas', zone]), `no zone "${zone}"`);
    }
    const auto = obj(b.autoscale);
    if (typeof auto.min === 'number' && typeof auto.max === 'number' && auto.min > auto.max) {
      add(`bundles[${i}].autoscale.min`, `must not exceed max (${auto.max})`);
    }
  });
  list(doc.services).forEach((s, i) => {
    const name = str(obj(s).name);
    if (name && !owner.has(name)) add(`services[${i}]`, `service "${name}" is in no bundle; add it to one`);
  });

  list(doc.traffic).forEach((t, i) => {
    const entry = str(obj(t).entry);
    if (entry && !services.has(entry)) add(`traffic[${i}].entry`, `no service "${entry}"`);
    for (const zone of Object.keys(obj(obj(t).zones))) {
      if (!zones.has(zone)) add(formatPath(['traffic', i, 'zones', zone]), `no zone "${zone}"`);
    }
  });
  list(doc.slo).forEach((s, i) => {
    const slo = obj(s);
    const entry = str(slo.entry);
    if (entry && !services.has(entry)) add(`slo[${i}].entry`, `no service "${entry}"`);
    if (slo.p50Ms === undefined && slo.p95Ms === undefined && slo.p99Ms === undefined) {
      add(`slo[${i}]`, 'needs at least one of p50Ms, p95Ms, p99Ms');
    }
  });

  problems.push(...findCycles(list(doc.services).map(obj)));
  return problems;
}

/** A call cycle has no finite load: refuse it, naming the call that closes it. */
function findCycles(services: Loose[]): Problem[] {
  const names = services.map((s) => str(s.name) ?? '');
  const index = new Map(names.map((n, i) => [n, i]));
  const state = new Uint8Array(services.length); // 0 new, 1 on the stack, 2 done
  const problems: Problem[] = [];
  const stack: string[] = [];
  const visit = (i: number) => {
    state[i] = 1;
    stack.push(names[i] ?? '');
    list(services[i]?.calls).forEach((c, j) => {
      const to = str(obj(c).to) ?? '';
      const k = index.get(to);
      if (k === undefined || !to) return;
      if (state[k] === 1) {
        const loop = [...stack.slice(stack.indexOf(to)), to].join(' → ');
        problems.push({ path: `services[${i}].calls[${j}].to`, message: `call cycle ${loop}; calls must form a DAG` });
      } else if (state[k] === 0) visit(k);
    });
    stack.pop();
    state[i] = 2;
  };
  for (let i = 0; i < services.length; i++) if (state[i] === 0) visit(i);
  return problems;
}

/**
 * Parses any value (already decoded from YAML/JSON) into a valid current-version document,
 * migrating older versions first. Never throws for bad input: every problem is returned.
 */
export function parseTopology(input: unknown): ParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '', message: `a topology document must be an object, got ${describeType(input)}` }] };
  }
  const migrated = migrate(input as Record<string, unknown>);
  if (!migrated.ok) return migrated;
  const parsed = TopologySchema.safeParse(migrated.doc);
  const problems = [...(parsed.success ? [] : zodProblems(parsed.error, migrated.doc)), ...crossCheck(migrated.doc)];
  if (problems.length || !parsed.success) return { ok: false, problems };
  return { ok: true, doc: parsed.data };
}
