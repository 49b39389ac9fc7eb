import { describe, expect, it } from 'vitest';
import { microbusMetrics } from './metrics.ts';

describe('Microbus metrics in the Prometheus text format', () => {
  it('writes one family per name, cumulative buckets, _total counters, every instance label', () => {
    const r = microbusMetrics();
    const a = r.instance({ plane: 'p', service: 'a.example', id: 'aaaaaaaaaa' });
    const b = r.instance({ plane: 'p', service: 'b.example', id: 'bbbbbbbbbb' });
    const labels = { name: '/', port: '443', method: 'GET', code: '200', error: 'OK' };
    a.observe('microbus_server_request_duration_seconds', labels, 0.004);
    a.observe('microbus_server_request_duration_seconds', labels, 0.06);
    b.observe('microbus_server_request_duration_seconds', labels, 20);
    a.add('microbus_cache_operations', { op: 'load', hit: 'miss' });
    a.add('microbus_client_timeout_requests', { host: 'b.example', port: '443' }, 2);
    const text = r.text();
    expect(text.match(/# TYPE microbus_server_request_duration_seconds histogram/g)).toHaveLength(1);
    const series = 'name="/",port="443",method="GET",code="200",error="OK",plane="p",service="a.example",ver="1",id="aaaaaaaaaa",deployment="LAB"';
    expect(text).toContain(`microbus_server_request_duration_seconds_bucket{${series},le="0.005"} 1`);
    expect(text).toContain(`microbus_server_request_duration_seconds_bucket{${series},le="0.05"} 1`);
    expect(text).toContain(`microbus_server_request_duration_seconds_bucket{${series},le="0.075"} 2`);
    expect(text).toContain(`microbus_server_request_duration_seconds_bucket{${series},le="+Inf"} 2`);
    expect(text).toContain(`microbus_server_request_duration_seconds_count{${series}} 2`);
    expect(text).toMatch(/microbus_server_request_duration_seconds_bucket\{[^}]*service="b.example"[^}]*le="10"\} 0/);
    expect(text).toContain('# TYPE microbus_cache_operations_total counter');
    expect(text).toMatch(/microbus_client_timeout_requests_total\{host="b.example",port="443",[^}]*\} 2/);
  });
});
