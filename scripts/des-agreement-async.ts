/**
 * `node --import tsx scripts/des-agreement.ts --async [--requests N]`: the async-messaging rows of
 * packages/core/src/des/AGREEMENT.md (schema v3, issue 18). First the reference cases (a consumer
 * as M/M/c, maxAckPending, redelivery, the drain after a burst and an outage) with the closed form
 * beside the analytic engine and the DES; then the orders-with-events example as it is, with 30 %
 * more traffic, with its first zone failed, after a burst of 10,000 events and after a 30 s
 * consumer outage. Pinned seeds. Where the analytic engine fills no async figures (before it
 * lands) its column shows —.
 */
import {
  type AsyncWhatIf,
  createDesRun,
  type DesResult,
  type Percentiles,
  parseTopology,
  type SimulationResult,
  simulate,
  type TopologyInput,
} from '@busboard/core';
import { type ConsumerCase, consumerDoc, mmc } from '../packages/core/src/des/async-test-docs.ts';
import { ordersEvents } from '../packages/core/src/examples/orders-events.ts';

const f = (v: number | undefined | null, d = 3) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v.toFixed(d));
const err = (a: number | undefined | null, d: number | undefined | null) =>
  a === undefined || a === null || d === undefined || d === null || d === 0 || Number.isNaN(a) ? '—' : `${(((a - d) / d) * 100).toFixed(1)} %`;
const ci = (c: [number, number] | undefined, d = 3) => (c ? `[${f(c[0], d)}, ${f(c[1], d)}]` : '—');
const outside = (a: number | undefined | null, c: [number, number] | undefined) =>
  a !== undefined && a !== null && c !== undefined && (a < c[0] || a > c[1]) ? ' ⚠' : '';

function run(
  input: TopologyInput,
  seed: string,
  requests: number,
  whatIf: AsyncWhatIf | undefined,
  failZones: string[] = [],
  scale = 1,
  precision?: number,
) {
  const parsed = parseTopology(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const options = { scale, failZones, ...(whatIf ? { async: whatIf } : {}) };
  const analytic = simulate(parsed.doc, options) as SimulationResult;
  const des = createDesRun({
    doc: parsed.doc,
    seed,
    requests,
    ...options,
    ...(precision === undefined ? {} : { precision }),
  }).runToEnd() as DesResult;
  return { analytic, des, doc: parsed.doc };
}

interface Row {
  label: string;
  analytic: number | null | undefined;
  des: number | null | undefined;
  ci: [number, number] | undefined;
  exact?: number;
  digits?: number;
}

function table(rows: Row[], withExact: boolean): string {
  const head = withExact
    ? '| figure | closed form | analytic | DES | DES 99 % interval | analytic − DES |\n|---|---:|---:|---:|---|---:|'
    : '| figure | analytic | DES | DES 99 % interval | analytic − DES |\n|---|---:|---:|---|---:|';
  const body = rows.map((r) => {
    const d = r.digits ?? 3;
    const cells = [
      r.label,
      ...(withExact ? [`${f(r.exact, d)}${outside(r.exact, r.ci)}`] : []),
      `${f(r.analytic, d)}${outside(r.analytic, r.ci)}`,
      f(r.des, d),
      ci(r.ci, d),
      err(r.analytic, r.des),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [head, ...body].join('\n');
}

function latencyRows(label: string, a: Percentiles | null | undefined, d: Percentiles | null | undefined, exactMean?: number): Row[] {
  return [
    { label: `${label} mean ms`, analytic: a?.mean, des: d?.mean, ci: d?.ci?.mean, ...(exactMean === undefined ? {} : { exact: exactMean }) },
    { label: `${label} p99 ms`, analytic: a?.p99, des: d?.p99, ci: d?.ci?.p99 },
  ];
}

/** Every async figure the two results share, with the DES's intervals. */
function asyncRows(a: SimulationResult, d: DesResult): Row[] {
  const iv = d.des.intervals;
  const rows: Row[] = [];
  for (const [name, e] of Object.entries(d.entries)) rows.push(...latencyRows(`entry ${name}`, a.entries[name]?.latencyMs, e.latencyMs));
  for (const [subject, s] of Object.entries(d.async?.subjects ?? {}))
    rows.push({ label: `${subject} publishRps`, analytic: a.async?.subjects[subject]?.publishRps, des: s.publishRps, ci: undefined, digits: 1 });
  d.async?.subscriptions.forEach((s, k) => {
    const as = a.async?.subscriptions[k];
    rows.push({
      label: `${s.service} deliverRps`,
      analytic: as?.deliverRps,
      des: s.deliverRps,
      ci: iv[`async.subscriptions[${k}].deliverRps`],
      digits: 1,
    });
    rows.push(...latencyRows(`${s.service} event`, as?.latency.latencyMs, s.latency.latencyMs));
  });
  for (const [sn, st] of Object.entries(d.async?.streams ?? {})) {
    const ast = a.async?.streams[sn];
    rows.push({ label: `${sn} ingestRps`, analytic: ast?.ingestRps, des: st.ingestRps, ci: undefined, digits: 1 });
    rows.push({
      label: `${sn} GB/day (one replica)`,
      analytic: (ast?.storageBytesPerDay ?? Number.NaN) / 1e9,
      des: st.storageBytesPerDay / 1e9,
      ci: undefined,
      digits: 2,
    });
    rows.push({ label: `${sn} publishAckMs`, analytic: ast?.publishAckMs, des: st.publishAckMs, ci: undefined });
    rows.push({
      label: `${sn} cross-zone MB/s`,
      analytic: (ast?.crossZoneBytesPerSec ?? Number.NaN) / 1e6,
      des: st.crossZoneBytesPerSec / 1e6,
      ci: undefined,
    });
    for (const [cn, c] of Object.entries(st.consumers)) {
      const ac = ast?.consumers[cn];
      const p = `async.streams[${JSON.stringify(sn)}].consumers[${JSON.stringify(cn)}]`;
      rows.push({ label: `${sn}/${cn} deliverRps`, analytic: ac?.deliverRps, des: c.deliverRps, ci: iv[`${p}.deliverRps`], digits: 1 });
      rows.push({ label: `${sn}/${cn} utilization`, analytic: ac?.utilization, des: c.utilization, ci: iv[`${p}.utilization`] });
      rows.push({ label: `${sn}/${cn} meanPending`, analytic: ac?.meanPending, des: c.meanPending, ci: iv[`${p}.meanPending`] });
      rows.push({ label: `${sn}/${cn} meanAckPending`, analytic: ac?.meanAckPending, des: c.meanAckPending, ci: iv[`${p}.meanAckPending`] });
      rows.push(...latencyRows(`${sn}/${cn} event`, ac?.latency.latencyMs, c.latency.latencyMs));
      if (c.lagDrainSeconds !== null || ac?.lagDrainSeconds) {
        rows.push({ label: `${sn}/${cn} backlog`, analytic: ac?.backlog, des: c.backlog, ci: iv[`${p}.backlog`], digits: 0 });
        const drain = iv[`${p}.drainMs`];
        rows.push({
          label: `${sn}/${cn} lagDrainSeconds`,
          analytic: ac?.lagDrainSeconds,
          des: c.lagDrainSeconds,
          ci: drain && [drain[0] / 1000, drain[1] / 1000],
          digits: 2,
        });
      }
    }
  }
  return rows;
}

interface RefCase {
  title: string;
  k: ConsumerCase;
  whatIf?: AsyncWhatIf;
  exact: (r: ReturnType<typeof run>) => Row[];
}

const C = (d: DesResult) => d.async?.streams.S?.consumers.c;
const A = (a: SimulationResult) => a.async?.streams.S?.consumers.c;
const P = 'async.streams["S"].consumers["c"]';

const REFERENCE: RefCase[] = [
  {
    title: 'M/M/4 consumer at ρ 0.8 (400 msgs/s, 8 ms, 2 replicas × 2 workers): Erlang C',
    k: { rps: 400, serviceTimeMs: 8, workers: 2, replicas: 2 },
    exact: ({ analytic, des }) => {
      const e = mmc(400, 8, 4);
      return [
        {
          label: 'utilization',
          exact: e.rho,
          analytic: A(analytic)?.utilization,
          des: C(des)?.utilization,
          ci: des.des.intervals[`${P}.utilization`],
        },
        {
          label: 'meanPending (Lq)',
          exact: e.lq,
          analytic: A(analytic)?.meanPending,
          des: C(des)?.meanPending,
          ci: des.des.intervals[`${P}.meanPending`],
        },
        ...latencyRows('latency', A(analytic)?.latency.latencyMs, C(des)?.latency.latencyMs, e.sojournMs),
      ];
    },
  },
  {
    title: 'maxAckPending 3 below 8 workers (250 msgs/s, 10 ms): M/M/3',
    k: { rps: 250, serviceTimeMs: 10, workers: 8, maxAckPending: 3 },
    exact: ({ analytic, des }) => {
      const e = mmc(250, 10, 3);
      return [
        {
          label: 'utilization',
          exact: e.rho,
          analytic: A(analytic)?.utilization,
          des: C(des)?.utilization,
          ci: des.des.intervals[`${P}.utilization`],
        },
        {
          label: 'meanPending (Lq)',
          exact: e.lq,
          analytic: A(analytic)?.meanPending,
          des: C(des)?.meanPending,
          ci: des.des.intervals[`${P}.meanPending`],
        },
        ...latencyRows('latency', A(analytic)?.latency.latencyMs, C(des)?.latency.latencyMs, e.sojournMs),
      ];
    },
  },
  {
    title: 'redelivery f 0.2, ackWait 200 ms (100 msgs/s, 5 ms, 4 workers): λ/(1 − f)',
    k: { rps: 100, serviceTimeMs: 5, workers: 4, failureRate: 0.2, ackWaitMs: 200 },
    exact: ({ analytic, des }) => [
      {
        label: 'deliverRps',
        exact: 125,
        analytic: A(analytic)?.deliverRps,
        des: C(des)?.deliverRps,
        ci: des.des.intervals[`${P}.deliverRps`],
        digits: 2,
      },
      {
        label: 'redeliverRps',
        exact: 25,
        analytic: A(analytic)?.redeliverRps,
        des: C(des)?.redeliverRps,
        ci: des.des.intervals[`${P}.redeliverRps`],
        digits: 2,
      },
      {
        label: 'meanAckPending',
        exact: 5.5,
        analytic: A(analytic)?.meanAckPending,
        des: C(des)?.meanAckPending,
        ci: des.des.intervals[`${P}.meanAckPending`],
      },
      ...latencyRows('latency', A(analytic)?.latency.latencyMs, C(des)?.latency.latencyMs),
    ],
  },
  {
    title: 'burst of 2,000 on M/M/4 (400 msgs/s, 8 ms): fluid B/(cμ − λ) = 20 s; exact mean 20 s − 1/μ',
    k: { rps: 400, serviceTimeMs: 8, workers: 4 },
    whatIf: { eventBurst: 2000 },
    exact: ({ analytic, des }) => {
      const drain = des.des.intervals[`${P}.drainMs`];
      return [
        {
          label: 'lagDrainSeconds (exact: 19.992)',
          exact: 20,
          analytic: A(analytic)?.lagDrainSeconds,
          des: C(des)?.lagDrainSeconds,
          ci: drain && [drain[0] / 1000, drain[1] / 1000],
        },
      ];
    },
  },
  {
    title: 'outage of 5 s on M/M/4 (400 msgs/s, 8 ms): backlog λT = 2,000, fluid 20 s; exact mean (λT − c)/(cμ − λ) = 19.96 s',
    k: { rps: 400, serviceTimeMs: 8, workers: 4 },
    whatIf: { consumerOutageSeconds: 5 },
    exact: ({ analytic, des }) => {
      const drain = des.des.intervals[`${P}.drainMs`];
      return [
        { label: 'backlog', exact: 2000, analytic: A(analytic)?.backlog, des: C(des)?.backlog, ci: des.des.intervals[`${P}.backlog`], digits: 1 },
        {
          label: 'lagDrainSeconds',
          exact: 20,
          analytic: A(analytic)?.lagDrainSeconds,
          des: C(des)?.lagDrainSeconds,
          ci: drain && [drain[0] / 1000, drain[1] / 1000],
        },
      ];
    },
  },
];

export function asyncTables(requests: number): string {
  const out: string[] = ['\n### Reference cases (one zone, no network cost; DES run to the cap, 99 % intervals)\n'];
  for (const rc of REFERENCE) {
    const r = run(consumerDoc(rc.k), `async-${rc.title}`, Math.min(requests, 4_000_000), rc.whatIf, [], 1, 0);
    out.push(`\n#### ${rc.title} (DES ${r.des.des.replications} replications)\n\n${table(rc.exact(r), true)}\n`);
  }
  out.push('\n### The orders-with-events example\n');
  const zone = ordersEvents.zones[0]?.name as string;
  const scenarios: { what: string; scale?: number; failZones?: string[]; whatIf?: AsyncWhatIf }[] = [
    { what: 'as it is' },
    { what: '× 1.3', scale: 1.3 },
    { what: `${zone} failed`, failZones: [zone] },
    { what: 'burst of 10,000 events', whatIf: { eventBurst: 10_000 } },
    { what: 'consumer outage of 30 s', whatIf: { consumerOutageSeconds: 30 } },
  ];
  for (const sc of scenarios) {
    const r = run(ordersEvents, `async-orders-${sc.what}`, Math.min(requests, 10_000_000), sc.whatIf, sc.failZones ?? [], sc.scale ?? 1);
    out.push(
      `\n#### ${sc.what} (DES ${r.des.des.requests.toLocaleString('en-US')} requests, ${r.des.des.replications} replications${r.des.des.converged ? '' : ', NOT converged'})\n\n${table(asyncRows(r.analytic, r.des), false)}\n`,
    );
  }
  return out.join('');
}
