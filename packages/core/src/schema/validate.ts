/**
 * Validation of topology documents: structure (zod) and then the cross-references zod cannot
 * see (call targets, bundle membership, zones, cycles). Every problem names its path in the
 * form MODEL.md uses: `services[3].calls[0].to: no service "cart.exmple"`.
 */

import type { z } from 'zod';
import { formatPath, type Problem } from '../problems.ts';
import { field, isObj, type Loose, list, obj, str, tooMany } from './lenient.ts';
import { LIMITS } from './limits.ts';
import { migrate } from './migrations.ts';
import { hiddenCharacter, isServiceName, SERVICE_NAME_RULE, suggestServiceName } from './names.ts';
import { compileQuickCheck, type QuickCheck } from './quick-check.ts';
import { CLASS_NAME, CLASS_NAME_RULE, CURRENT_SCHEMA, DEFAULT_CLASS, type Topology, TopologySchema } from './topology.ts';
import { checkAsync } from './validate-async.ts';
import { checkOverTime } from './validate-over-time.ts';
import { checkScenarios } from './validate-scenarios.ts';

export type ParseResult = { ok: true; doc: Topology } | { ok: false; problems: Problem[] };

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

/** What an unknown field's problem says: where it came from is the user's business, what to do is not. */
export const UNKNOWN_FIELD = `unknown field: not part of ${CURRENT_SCHEMA} (a typo, or a field of another tool); remove it, or drop unknown fields on import (CLI: --drop-unknown)`;

function zodProblems(error: z.ZodError, input: unknown): Problem[] {
  // One problem per path, the first zod finds: 0 is "must be > 0", not also "at least 1 ns".
  const seen = new Set<string>();
  return error.issues.flatMap((issue) => {
    const key = issue.path.map(String).join('\u0000');
    if (issue.code !== 'unrecognized_keys') {
      if (seen.has(key)) return [];
      seen.add(key);
    }
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: formatPath([...issue.path, k]), message: UNKNOWN_FIELD }));
    const path = formatPath(issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type') {
      const got = valueAt(input, issue.path);
      message = got === undefined ? `required (${issue.expected})` : `expected ${issue.expected}, got ${describeType(got)}`;
    } else if (issue.code === 'too_small' && issue.origin === 'number' && issue.message.startsWith('Too small')) {
      message = issue.inclusive ? `must be ≥ ${issue.minimum}` : `must be > ${issue.minimum}`;
    } else if (issue.code === 'invalid_value' && path === 'schema') {
      message = `unknown schema ${describeType(valueAt(input, issue.path))}; expected "${CURRENT_SCHEMA}"`;
    }
    return [{ path, message }];
  });
}

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

  checkText(input, [], problems);
  const counts: [string, number, string][] = [
    ['zones', LIMITS.zones, 'zones'],
    ['services', LIMITS.services, 'services'],
    ['bundles', LIMITS.bundles, 'bundles'],
    ['databases', LIMITS.databases, 'databases'],
    ['externals', LIMITS.externals, 'externals'],
    ['nats', LIMITS.nats, 'NATS clusters'],
    ['traffic', LIMITS.traffic, 'traffic items'],
    ['slo', LIMITS.slo, 'SLOs'],
    ['classes', LIMITS.classes, 'classes'],
  ];
  for (const [key, max, what] of counts) tooMany(list(doc[key]).length, max, key, what, add);
  if (isObj(doc.layout)) tooMany(Object.keys(doc.layout).length, LIMITS.layout, 'layout', 'positions', add);

  const names = (key: string, what: string) => {
    const seen = new Map<string, number>();
    const items = list(doc[key]);
    for (let i = 0; i < items.length; i++) {
      const name = str(field(items[i], 'name'));
      if (!name) continue;
      if (name === '__proto__') add(`${key}[${i}].name`, `"__proto__" is reserved; choose another name`);
      if (key === 'services' && !isServiceName(name)) {
        const hint = suggestServiceName(name);
        add(`${key}[${i}].name`, `"${name}" is not a valid service name: ${SERVICE_NAME_RULE}${hint ? `; try "${hint}"` : ''}`);
      }
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
  const classes = names('classes', 'class');
  const classList = list(doc.classes);
  for (let i = 0; i < classList.length; i++) {
    const n = str(field(classList[i], 'name'));
    if (n && !CLASS_NAME.test(n)) add(`classes[${i}].name`, `"${n}" is not a class name: ${CLASS_NAME_RULE}`);
  }
  /** A class reference: a name from classes[], or the implicit default class. */
  const classRef = (path: string, v: unknown) => {
    const c = str(v);
    if (c === undefined || c === DEFAULT_CLASS || classes.has(c)) return;
    add(path, `no class "${c}"; add it to classes[] (or leave the field out for the default class)`);
  };
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
    tooMany(calls.length, LIMITS.callsPerService, `services[${i}].calls`, 'calls', add);
    tooMany(list(field(svcs[i], 'endpoints')).length, LIMITS.endpointsPerService, `services[${i}].endpoints`, 'endpoints', add);
    if (field(svcs[i], 'rejectWith') !== undefined && field(svcs[i], 'queueLimit') === undefined && field(svcs[i], 'maxInFlight') === undefined)
      add(
        `services[${i}].rejectWith`,
        'only means something with queueLimit or maxInFlight (an unbounded replica rejects nothing): set one of them or remove it',
      );
    checkAdmission(svcs[i], i, classRef, add);
    for (let j = 0; j < calls.length; j++) {
      retryProblems(calls[j], `services[${i}].calls[${j}]`, add);
      const to = str(field(calls[j], 'to'));
      if (!to) continue;
      if (field(calls[j], 'retries') !== undefined && (to.startsWith('db:') || to.startsWith('ext:')))
        add(
          `services[${i}].calls[${j}].retries`,
          'only calls to services are retried (a database or external call never fails here): remove retries',
        );
      if (to.startsWith('db:')) {
        if (!databases.has(to.slice(3))) add(`services[${i}].calls[${j}].to`, `no database "${to.slice(3)}"`);
      } else if (to.startsWith('ext:')) {
        if (!externals.has(to.slice(4))) add(`services[${i}].calls[${j}].to`, `no external "${to.slice(4)}"`);
      } else if (!services.has(to)) {
        add(`services[${i}].calls[${j}].to`, `no service "${to}"`);
      }
    }
  }

  const dbs = list(doc.databases);
  for (let i = 0; i < dbs.length; i++)
    tooMany(list(field(dbs[i], 'shards')).length, LIMITS.shardsPerDatabase, `databases[${i}].shards`, 'shards', add);

  checkBundles(doc, svcs, services, zones, add);

  const traffic = list(doc.traffic);
  for (let i = 0; i < traffic.length; i++) {
    const entry = str(field(traffic[i], 'entry'));
    if (entry && !services.has(entry)) add(`traffic[${i}].entry`, `no service "${entry}"`);
    classRef(`traffic[${i}].class`, field(traffic[i], 'class'));
    retryProblems(traffic[i], `traffic[${i}]`, add);
    for (const zone of Object.keys(obj(field(traffic[i], 'zones')))) {
      if (!zones.has(zone)) add(formatPath(['traffic', i, 'zones', zone]), `no zone "${zone}"`);
    }
  }
  const slos = list(doc.slo);
  for (let i = 0; i < slos.length; i++) {
    const slo = obj(slos[i]);
    const entry = str(slo.entry);
    if (entry && !services.has(entry)) add(`slo[${i}].entry`, `no service "${entry}"`);
    classRef(`slo[${i}].class`, slo.class);
    if (
      slo.p50Ms === undefined &&
      slo.p95Ms === undefined &&
      slo.p99Ms === undefined &&
      slo.maxRejectionRate === undefined &&
      slo.maxTimeoutRate === undefined
    ) {
      add(`slo[${i}]`, 'needs at least one of p50Ms, p95Ms, p99Ms, maxRejectionRate, maxTimeoutRate');
    }
  }

  checkAsync(doc, new Set(services.keys()), add);
  checkOverTime(doc, add);
  checkScenarios(doc, add);

  const cycles = findCycles(svcs);
  for (const p of cycles) problems.push(p);
  if (!cycles.length) for (const p of loadBound(svcs, traffic)) problems.push(p);
  return problems;
}

/** Schema v2 `services[i].admission`: known classes, one row each, bounded by the service's own limits. */
function checkAdmission(svc: unknown, i: number, classRef: (path: string, v: unknown) => void, add: (path: string, message: string) => void): void {
  const rows = field(svc, 'admission');
  if (rows === undefined) return;
  const admission = list(rows);
  tooMany(admission.length, LIMITS.classes, `services[${i}].admission`, 'admission rows', add);
  if (admission.length && field(svc, 'queueLimit') === undefined)
    add(
      `services[${i}].admission`,
      "per-class limits need the service's queueLimit too (both apply: it bounds the whole line, and keeps the figures finite); set services[].queueLimit",
    );
  const workers = field(svc, 'workers');
  const seen = new Map<string, number>();
  for (let j = 0; j < admission.length; j++) {
    const c = str(field(admission[j], 'class'));
    classRef(`services[${i}].admission[${j}].class`, c);
    if (c !== undefined) {
      const first = seen.get(c);
      if (first !== undefined) add(`services[${i}].admission[${j}].class`, `class "${c}" already has a row (admission[${first}]); merge them`);
      else seen.set(c, j);
    }
    const cap = field(admission[j], 'maxInFlight');
    const w = typeof workers === 'number' ? workers : 1;
    if (typeof cap === 'number' && cap > w)
      add(`services[${i}].admission[${j}].maxInFlight`, `${cap} is more than the service's ${w} workers; at most ${w} (or raise workers)`);
    if (field(admission[j], 'queueLimit') === undefined && cap === undefined)
      add(`services[${i}].admission[${j}]`, 'needs queueLimit or maxInFlight (a row without either limits nothing): set one or remove the row');
  }
}

/** Deep enough for any document the schema accepts; deeper input is refused here rather than walked. */
const MAX_DEPTH = 16;

/**
 * Every string and key in the document: no hidden characters (names.ts), no text longer than
 * LIMITS.name. Objects nested past MAX_DEPTH are reported once, not walked. The path is kept
 * as a stack and formatted only for a problem: this runs on every edit.
 */
function checkText(v: unknown, path: PropertyKey[], problems: Problem[]): void {
  if (typeof v === 'string') {
    if (v.length > LIMITS.name) problems.push({ path: formatPath(path), message: `${v.length} characters; at most ${LIMITS.name}` });
    else {
      const hidden = hiddenCharacter(v);
      if (hidden)
        problems.push({
          path: formatPath(path),
          message: `contains the control or invisible character ${hidden}; names must read as they are, so remove it`,
        });
    }
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (path.length >= MAX_DEPTH) {
    problems.push({ path: formatPath(path), message: 'nested too deeply for a topology document' });
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'number') continue;
      path.push(i);
      checkText(x, path, problems);
      path.pop();
    }
    return;
  }
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    path.push(key);
    const hidden = hiddenCharacter(key);
    if (hidden) problems.push({ path: formatPath(path), message: `the key contains the control or invisible character ${hidden}; remove it` });
    const x = (v as Loose)[key];
    if (typeof x !== 'number') checkText(x, path, problems);
    path.pop();
  }
}

/**
 * The most requests per second each service can receive (traffic forced through the calls,
 * every cache missing): past LIMITS.rps the figures are no longer numbers a plan can use, and
 * products of `perRequest` along a deep chain could overflow. Calls form a DAG here.
 */
function loadBound(services: unknown[], traffic: unknown[]): Problem[] {
  const n = services.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(str(field(services[i], 'name')) ?? '', i);
  const direct = new Float64Array(n);
  for (const t of traffic) {
    const k = index.get(str(field(t, 'entry')) ?? '');
    const rps = field(t, 'rps');
    if (k !== undefined && typeof rps === 'number' && rps > 0) direct[k] = (direct[k] as number) + rps;
  }
  const memo = new Float64Array(n).fill(-1);
  // Load flows from callers: λ(j) = direct(j) + Σ λ(i)·perRequest over calls i → j. Computed by callers' order.
  const callers: [number, number][][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const calls = list(field(services[i], 'calls'));
    for (const c of calls) {
      const k = index.get(str(field(c, 'to')) ?? '');
      const per = field(c, 'perRequest');
      if (k !== undefined) callers[k]?.push([i, typeof per === 'number' && per > 0 ? per : 1]);
    }
  }
  const load = (j: number): number => {
    if ((memo[j] as number) >= 0) return memo[j] as number;
    memo[j] = 0; // a guard; the DAG check ran first
    let total = direct[j] as number;
    for (const [i, per] of callers[j] as [number, number][]) total += load(i) * per;
    memo[j] = total;
    return total;
  };
  const problems: Problem[] = [];
  for (let j = 0; j < n; j++) {
    const l = load(j);
    if (l > LIMITS.rps)
      problems.push({
        path: `services[${j}]`,
        message: `would receive up to ${l.toPrecision(3)} requests/s (traffic times perRequest along the calls); at most ${LIMITS.rps.toExponential(0)}: lower the traffic or perRequest`,
      });
  }
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

export type DropResult = { ok: true; doc: Record<string, unknown>; dropped: string[] } | { ok: false; problems: Problem[] };

/**
 * The document (migrated to the current version) without the fields the schema does not know,
 * and the path of each one dropped: for a user who asked to drop them (CLI `--drop-unknown`,
 * the import dialog's choice). Nothing else changes; the result still needs `parseTopology`.
 */
export function dropUnknownFields(input: unknown): DropResult {
  const prepared = prepare(input);
  if (!prepared.ok) return prepared;
  // A copy (documents are JSON data: a JSON round trip copies them whole).
  const doc = JSON.parse(JSON.stringify(prepared.doc)) as Record<string, unknown>;
  const dropped: string[] = [];
  // Dropping a field can expose no new unknown one, but a bad sibling can hide one from zod: a few rounds settle it.
  for (let round = 0; round < 4; round++) {
    const parsed = TopologySchema.safeParse(doc);
    if (parsed.success) break;
    const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
    if (!unknown.length) break;
    for (const issue of unknown) {
      const holder = valueAt(doc, issue.path);
      if (!isObj(holder)) continue;
      for (const key of issue.keys) {
        delete holder[key];
        dropped.push(formatPath([...issue.path, key]));
      }
    }
  }
  return { ok: true, doc, dropped };
}

/** backoffMs and backoffMultiplier only mean something with retries (schema v2, engine/retries.ts). */
function retryProblems(item: unknown, path: string, add: (path: string, message: string) => void): void {
  if (field(item, 'retries') !== undefined) return;
  for (const key of ['backoffMs', 'backoffMultiplier'])
    if (field(item, key) !== undefined)
      add(`${path}.${key}`, 'only means something with retries (nothing is sent again without them): set retries or remove it');
}

/** Bundles: members exist and belong to one bundle each, zones exist, autoscale bounds, the replica total. */
function checkBundles(
  doc: Record<string, unknown>,
  svcs: unknown[],
  services: Map<string, number>,
  zones: Map<string, number>,
  add: (path: string, message: string) => void,
): void {
  const bundles = list(doc.bundles);
  const owner = new Map<string, number>();
  let totalReplicas = 0;
  for (let i = 0; i < bundles.length; i++) {
    const b = bundles[i];
    const replicas = obj(field(b, 'replicas'));
    for (const zone in replicas) {
      const n = replicas[zone];
      // A count past the per-zone limit is refused at its own path; the total counts only the others.
      if (typeof n === 'number' && n > 0 && n <= LIMITS.replicasPerZone) totalReplicas += n;
    }
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
  }
  for (let i = 0; i < svcs.length; i++) {
    const name = str(field(svcs[i], 'name'));
    if (name && !owner.has(name)) add(`services[${i}]`, `service "${name}" is in no bundle; add it to one`);
  }
  if (totalReplicas > LIMITS.totalReplicas)
    add(
      'bundles',
      `${totalReplicas.toLocaleString('en-US')} replicas in all; at most ${LIMITS.totalReplicas.toLocaleString('en-US')}: Busboard's limit (README "Limits"), which keeps the per-replica figures finite`,
    );
}
