/**
 * Schema v3 over time (issue 19), the checks across fields: an autoscaler's metric and target
 * agree, policies name bundles that exist, timeline events name one zone that exists, a ramp
 * ends after it starts. Reads the raw input leniently, like crossCheck.
 */

import { formatPath } from '../problems.ts';
import { type Add, field, isObj, type Loose, list, str, tooMany } from './lenient.ts';
import { LIMITS } from './limits.ts';
import { PROFILE_FIELDS } from './over-time.ts';

/** One autoscaler (a bundle's or a policy's): bounds, and a target exactly when the metric is custom. */
export function checkAutoscale(auto: unknown, path: string, add: Add): void {
  if (!isObj(auto)) return;
  if (typeof auto.min === 'number' && typeof auto.max === 'number' && auto.min > auto.max) add(`${path}.min`, `must not exceed max (${auto.max})`);
  const metric = auto.metric ?? 'cpu';
  if (metric !== 'cpu' && auto.target === undefined)
    add(`${path}.target`, `metric "${String(metric)}" needs a target: the average per replica the autoscaler keeps (e.g. 4 requests)`);
  if (metric === 'cpu' && auto.target !== undefined)
    add(`${path}.target`, 'only with metric inFlight or queueDepth (the CPU target is targetUtilization): set metric or remove target');
}

function checkProfiles(doc: Loose, add: Add): void {
  const traffic = list(doc.traffic);
  for (let i = 0; i < traffic.length; i++) {
    const p = field(traffic[i], 'profile');
    if (!isObj(p)) continue;
    const path = `traffic[${i}].profile`;
    const fields = typeof p.shape === 'string' ? PROFILE_FIELDS[p.shape as keyof typeof PROFILE_FIELDS] : undefined;
    if (fields) {
      for (const key of fields.needs)
        if (p[key] === undefined) add(`${path}.${key}`, `a ${String(p.shape)} profile needs ${fields.needs.join(', ')}: add ${key}`);
      const reads = new Set([...fields.needs, ...fields.reads, 'shape', 'days', 'growthPerMonth']);
      for (const key of Object.keys(p))
        if (!reads.has(key))
          add(
            `${path}.${key}`,
            `a ${String(p.shape)} profile does not read ${key} (it reads ${[...fields.needs, ...fields.reads].join(', ')}): remove it`,
          );
    }
    if (p.shape === 'ramp' && typeof p.startMinute === 'number' && typeof p.endMinute === 'number' && p.endMinute < p.startMinute)
      add(`${path}.endMinute`, `the ramp ends (${p.endMinute}) before it starts (${p.startMinute}): swap them, or swap from and to`);
    if (p.shape === 'points') {
      const points = list(p.points);
      const seen = new Map<number, number>();
      for (let j = 0; j < points.length; j++) {
        const at = field(points[j], 'atMinute');
        if (typeof at !== 'number') continue;
        const key = at % 1440;
        const first = seen.get(key);
        if (first !== undefined) add(`${path}.points[${j}].atMinute`, `minute ${at} is also points[${first}] (minute 1440 is minute 0): keep one`);
        else seen.set(key, j);
      }
    }
  }
}

function checkPolicies(doc: Loose, bundles: Set<string>, add: Add): void {
  const policies = list(doc.autoscalePolicies);
  tooMany(policies.length, LIMITS.autoscalePolicies, 'autoscalePolicies', 'autoscale policies', add);
  const seen = new Map<string, number>();
  for (let i = 0; i < policies.length; i++) {
    const name = str(field(policies[i], 'name'));
    if (name) {
      const first = seen.get(name);
      if (first !== undefined) add(`autoscalePolicies[${i}].name`, `duplicate policy "${name}" (also autoscalePolicies[${first}])`);
      else seen.set(name, i);
    }
    const map = field(policies[i], 'bundles');
    if (!isObj(map)) continue;
    for (const [bundle, auto] of Object.entries(map)) {
      const path = formatPath(['autoscalePolicies', i, 'bundles', bundle]);
      if (!bundles.has(bundle)) add(path, `no bundle "${bundle}"`);
      checkAutoscale(auto, path, add);
    }
  }
}

function checkEvents(doc: Loose, zones: Set<string>, add: Add): void {
  const events = list(doc.timeline);
  tooMany(events.length, LIMITS.timelineEvents, 'timeline', 'timeline events', add);
  for (let i = 0; i < events.length; i++) {
    const fail = str(field(events[i], 'failZone'));
    const restore = str(field(events[i], 'restoreZone'));
    if ((fail === undefined) === (restore === undefined)) {
      add(`timeline[${i}]`, 'an event either fails a zone or restores one: give exactly one of failZone and restoreZone');
      continue;
    }
    const zone = (fail ?? restore) as string;
    if (!zones.has(zone)) add(`timeline[${i}].${fail !== undefined ? 'failZone' : 'restoreZone'}`, `no zone "${zone}"`);
  }
}

/** Every cross-field problem of the v3 over-time fields. */
export function checkOverTime(doc: Loose, add: Add): void {
  const bundles = new Set<string>();
  const list_ = list(doc.bundles);
  for (let i = 0; i < list_.length; i++) {
    const name = str(field(list_[i], 'name'));
    if (name) bundles.add(name);
    if (field(list_[i], 'autoscale') !== undefined) checkAutoscale(field(list_[i], 'autoscale'), `bundles[${i}].autoscale`, add);
  }
  const zones = new Set<string>();
  for (const z of list(doc.zones)) {
    const name = str(field(z, 'name'));
    if (name) zones.add(name);
  }
  checkProfiles(doc, add);
  checkPolicies(doc, bundles, add);
  checkEvents(doc, zones, add);
}
