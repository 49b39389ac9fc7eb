/**
 * Microbus's metrics in the Prometheus text format, as a replica serves them (MODEL.md §4):
 * the names, labels and bucket bounds of the framework's connector (`plane`, `service`, `ver`,
 * `id`, `deployment` on every series). Counters carry `_total`, as OpenTelemetry's Prometheus
 * exporter writes them. Values are in real seconds: a rehearsal's times are dilated.
 */

/** The connector's bucket bounds, seconds. */
export const REQUEST_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
export const ACK_ROUNDTRIP_BUCKETS = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5];

type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  /** Histograms: cumulative counts per bound; counters and gauges: value. */
  buckets?: number[];
  count: number;
  sum: number;
}

interface Family {
  type: 'histogram' | 'counter' | 'gauge';
  help: string;
  bounds?: number[];
  series: Map<string, Series>;
}

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeValue(v)}"`)
    .join(',');

/** What one microservice instance writes: its own labels added to every series. */
export interface InstanceMetrics {
  observe(name: string, labels: Labels, seconds: number): void;
  add(name: string, labels: Labels, value?: number): void;
  set(name: string, labels: Labels, value: number): void;
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  describe(name: string, type: Family['type'], help: string, bounds?: number[]): void {
    this.families.set(name, { type, help, ...(bounds ? { bounds } : {}), series: new Map() });
  }

  private series(name: string, labels: Labels): Series {
    const f = this.families.get(name);
    if (!f) throw new Error(`metric ${name} is not described`);
    const all = labels;
    const key = labelText(all);
    let s = f.series.get(key);
    if (!s) {
      s = { labels: all, count: 0, sum: 0, ...(f.bounds ? { buckets: f.bounds.map(() => 0) } : {}) };
      f.series.set(key, s);
    }
    return s;
  }

  observe(name: string, labels: Labels, seconds: number): void {
    const s = this.series(name, labels);
    const bounds = this.families.get(name)?.bounds ?? [];
    s.count++;
    s.sum += seconds;
    const b = s.buckets as number[];
    for (let i = bounds.length - 1; i >= 0 && seconds <= (bounds[i] as number); i--) b[i] = (b[i] as number) + 1;
  }

  add(name: string, labels: Labels, value = 1): void {
    this.series(name, labels).sum += value;
  }

  set(name: string, labels: Labels, value: number): void {
    this.series(name, labels).sum = value;
  }

  /** The text exposition format (version 0.0.4). */
  text(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      const exposed = f.type === 'counter' ? `${name}_total` : name;
      out.push(`# HELP ${exposed} ${f.help}`, `# TYPE ${exposed} ${f.type}`);
      for (const s of f.series.values()) {
        const l = labelText(s.labels);
        if (f.type === 'histogram') {
          const bounds = f.bounds ?? [];
          bounds.forEach((bound, i) => {
            out.push(`${name}_bucket{${l},le="${bound}"} ${s.buckets?.[i] ?? 0}`);
          });
          out.push(`${name}_bucket{${l},le="+Inf"} ${s.count}`, `${name}_sum{${l}} ${s.sum}`, `${name}_count{${l}} ${s.count}`);
        } else out.push(`${exposed}{${l}} ${s.sum}`);
      }
    }
    return `${out.join('\n')}\n`;
  }

  /** Series for one microservice instance (`plane`, `service`, `ver`, `id`, `deployment`). */
  instance(common: { plane: string; service: string; id: string; ver?: string; deployment?: string }): InstanceMetrics {
    const own: Labels = {
      plane: common.plane,
      service: common.service,
      ver: common.ver ?? '1',
      id: common.id,
      deployment: common.deployment ?? 'LAB',
    };
    return {
      observe: (name, labels, seconds) => this.observe(name, { ...labels, ...own }, seconds),
      add: (name, labels, value = 1) => this.add(name, { ...labels, ...own }, value),
      set: (name, labels, value) => this.set(name, { ...labels, ...own }, value),
    };
  }
}

/** A registry with Microbus's standard metrics described. */
export function microbusMetrics(): MetricsRegistry {
  const r = new MetricsRegistry();
  r.describe('microbus_server_request_duration_seconds', 'histogram', 'Request processing duration [seconds]', REQUEST_DURATION_BUCKETS);
  r.describe('microbus_client_ack_roundtrip_latency_seconds', 'histogram', 'Downstream ack roundtrip latency [seconds]', ACK_ROUNDTRIP_BUCKETS);
  r.describe('microbus_client_timeout_requests', 'counter', 'Number of requests downstream that timed out');
  r.describe('microbus_cache_operations', 'counter', 'Number of operations performed on the local shard of the distributed cache');
  r.describe('microbus_cache_elements', 'gauge', 'Total number of elements in the local shard of the distributed cache');
  r.describe('microbus_uptime_duration_seconds', 'gauge', 'Duration since connector was established [seconds]');
  return r;
}
