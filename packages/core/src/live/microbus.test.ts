/**
 * Microbus apps of both generations, from subject sets recorded off a real nats-server cluster
 * (scripts/record-microbus-fixtures.ts; the apps are apps/api/test/support/microbus-topology.ts):
 * four polls each — two under traffic, one after server east-n2 was killed and its clients
 * failed over, one after it was started again.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TopologyInput } from '../schema/topology.ts';
import { parseTopology } from '../schema/validate.ts';
import { calibrate } from './calibrate.ts';
import { draftDesign } from './draft.ts';
import { computeDrift } from './drift.ts';
import { liveOverlay } from './overlay.ts';
import type { RawCollection } from './raw.ts';
import { buildSnapshot } from './snapshot.ts';
import type { LiveSnapshot } from './types.ts';

interface Fixture {
  generation: 'newest' | 'v1';
  killed: string;
  apps: Array<{ suffix: string; evidence: string; processes: Array<{ address: string; locality: string; ids: Record<string, string> }> }>;
  polls: RawCollection[];
}

function load(generation: string): { fixture: Fixture; snaps: LiveSnapshot[] } {
  const fixture = JSON.parse(readFileSync(new URL(`./fixtures/microbus-${generation}-2.9.10.json`, import.meta.url), 'utf8')) as Fixture;
  const snaps: LiveSnapshot[] = [];
  for (const p of fixture.polls) snaps.push(buildSnapshot(p, snaps.at(-1) ?? null));
  return { fixture, snaps };
}

const zoneOf = (locality: string) => locality.replace(/-([a-z])$/, '$1');

/** The design that says what runs: each app one bundle, the event drawn as a call cart → pay. */
function matching(f: Fixture): TopologyInput {
  return {
    schema: 'busboard.topology/v3',
    name: 'matching',
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'].map((name) => ({ name, region: 'us-east-1' })),
    services: f.apps.flatMap((a) => [
      { name: `cart.${a.suffix}`, serviceTimeMs: 4, calls: [{ to: `pay.${a.suffix}` }] },
      { name: `pay.${a.suffix}`, serviceTimeMs: 6 },
    ]),
    bundles: f.apps.map((a) => {
      const replicas: Record<string, number> = {};
      for (const p of a.processes) replicas[zoneOf(p.locality)] = (replicas[zoneOf(p.locality)] ?? 0) + 1;
      return { name: a.suffix, services: [`cart.${a.suffix}`, `pay.${a.suffix}`], replicas };
    }),
    traffic: f.apps.map((a) => ({ entry: `cart.${a.suffix}`, rps: 900 })),
  };
}

for (const generation of ['newest', 'v1']) {
  describe(`Microbus ${generation} apps, recorded`, () => {
    const { fixture, snaps } = load(generation);
    const [first, second, failedOver, restarted] = snaps as [LiveSnapshot, LiveSnapshot, LiveSnapshot, LiveSnapshot];
    const parsed = parseTopology(matching(fixture));
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join());
    const doc = parsed.doc;

    it('reads every service, replica id, zone and generation from the subjects alone', () => {
      expect(first.services.map((s) => s.name)).toEqual(fixture.apps.flatMap((a) => [`cart.${a.suffix}`, `pay.${a.suffix}`]).sort());
      for (const a of fixture.apps) {
        for (const host of [`cart.${a.suffix}`, `pay.${a.suffix}`]) {
          const s = first.services.find((x) => x.name === host);
          const expected = a.processes.map((p) => `${p.ids[host]}:${zoneOf(p.locality)}:locality:${p.address}`).sort();
          expect(s?.instances.map((i) => `${i.id}:${i.zone}:${i.zoneSource}:${i.ip}`).sort(), host).toEqual(expected);
          for (const i of s?.instances ?? []) expect(i.generation).toBe(generation);
        }
      }
    });

    it('gives sinks to the service whose queue group they use', () => {
      for (const a of fixture.apps) {
        const pay = first.services.find((x) => x.name === `pay.${a.suffix}`);
        expect(pay?.listensTo).toEqual([`cart.${a.suffix}`]);
        const group = first.queueGroups.find((g) => g.group === `pay.${a.suffix}` && g.slot === 'any' && g.subject.includes('on-checkout'));
        expect(group?.service).toBe(`pay.${a.suffix}`);
        expect(group?.members).toHaveLength(2);
      }
      const overlay = liveOverlay(doc, first);
      expect(overlay.events).toEqual(fixture.apps.map((a) => ({ source: `cart.${a.suffix}`, sink: `pay.${a.suffix}`, designed: true })));
    });

    it('bundles each app with the evidence there is', () => {
      expect(first.bundles.map((b) => [b.services.join(' '), b.evidence])).toEqual(
        fixture.apps.map((a) => [`cart.${a.suffix} pay.${a.suffix}`, a.evidence]).sort((x, y) => x[0]?.localeCompare(y[0] as string) ?? 0),
      );
      const draft = draftDesign(first);
      // Named by the domain the services share (v1.x connection names `<id>.<host>` name a service, not the app).
      expect(draft.doc.bundles?.map((b) => b.name).sort()).toEqual(fixture.apps.map((a) => a.suffix).sort());
      const replicasOf = (bundles: Array<{ services: string[]; replicas: Record<string, number> }>) =>
        Object.fromEntries(bundles.map((b) => [[...b.services].sort().join(' '), b.replicas]));
      expect(replicasOf(draft.doc.bundles ?? [])).toEqual(replicasOf(doc.bundles));
      expect(draft.doc.services?.find((s) => s.name === `cart.${fixture.apps[0]?.suffix}`)?.calls).toEqual([
        { to: `pay.${fixture.apps[0]?.suffix}` },
      ]);
    });

    it('sees no drift while what runs matches the design', () => {
      expect(computeDrift(doc, first)).toEqual([]);
      expect(computeDrift(doc, second)).toEqual([]);
    });

    it('names the failover and offers no replica change while the server is down', () => {
      const down = failedOver.servers.find((s) => !s.up);
      expect(down?.name).toBe(fixture.killed);
      const drift = computeDrift(doc, failedOver);
      expect(drift[0]).toMatchObject({ kind: 'server-down', server: fixture.killed });
      const failovers = drift.filter((d) => d.kind === 'failover');
      expect(failovers.length).toBeGreaterThan(0);
      for (const d of failovers) expect(d.message).toMatch(new RegExp(`failed over from ${fixture.killed} \\(us-east-1b, down\\) to east-n[13]`));
      // Replicas count where their locality says: the failover moved connections, not replicas.
      expect(drift.filter((d) => d.kind === 'missing-replicas' || d.kind === 'extra-replicas')).toEqual([]);
      expect(drift.every((d) => d.fix === null)).toBe(true);
    });

    it('shows the restarted server as one entry, and keeps naming the failover', () => {
      expect(restarted.servers.map((s) => `${s.name}:${s.up}`)).toEqual(['east-n1:true', 'east-n2:true', 'east-n3:true']);
      expect(restarted.servers.find((s) => s.name === fixture.killed)?.id).not.toBe(failedOver.servers.find((s) => s.name === fixture.killed)?.id);
      const drift = computeDrift(doc, restarted);
      expect(drift.map((d) => d.kind).every((k) => k === 'failover')).toBe(true);
      expect(drift[0]?.message).toContain('(us-east-1b, back up)');
    });

    it('refuses to lower traffic from a window with a server failure', () => {
      const early = calibrate(matching(fixture), second);
      expect(early.refused[0]?.reason).toContain('not lowered from fewer than 5 polls');
      const after = calibrate(matching(fixture), restarted, { minSamples: 1 });
      expect(after.window.failures).toContain(`${fixture.killed} down`);
      expect(after.changes.filter((c) => c.path.startsWith('traffic'))).toEqual([]);
      expect(after.refused[0]?.reason).toContain(`the window holds a server failure (${fixture.killed} down`);
    });
  });
}
