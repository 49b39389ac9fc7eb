/**
 * `nats.conf` for one server of a cluster. Every address is a parameter, so the same builder
 * writes the Kubernetes file (`nats-0.nats-headless…:6222`), the compose file (`nats-1:6222`)
 * and a test's (`127.0.0.1:<free port>`), and those differ in nothing else.
 */

export interface NatsConfInput {
  /** A literal name, or `$SERVER_NAME` to read it from the environment (one file for every pod). */
  serverName: string;
  /** Client listener, `host:port`. */
  listen: string;
  /** HTTP monitoring (`/varz`, `/routez`…), `host:port`. */
  http: string;
  cluster: {
    /** Cluster name (no spaces): also the gateway name other regions use for it. */
    name: string;
    listen: string;
    /** `host:port` of every server's cluster port; a server's route to itself is ignored by NATS. */
    routes: string[];
  };
  gateway?: { listen: string; gateways: { name: string; urls: string[] }[] };
  websocket?: { listen: string };
  /**
   * TLS on every listener, from one server certificate (it must name the servers' DNS names
   * and allow both server and client use: routes and gateways present it to each other).
   * Clients must present a certificate from `caFile` too, and are identified by it.
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /**
   * Accounts and their users. With `tls`, a user is the subject of a client certificate
   * (`CN=shop`): `verify_and_map` admits only mapped certificates, no passwords anywhere.
   */
  accounts?: { name: string; users: string[]; jetstream?: boolean }[];
  /** The account `$SYS.>` lives in (monitoring across the cluster). */
  systemAccount?: string;
  /**
   * JetStream on this server: where it keeps its files and the most it may use of disk
   * (`max_file_store`) and memory (`max_memory_store`), as quantities like `12Gi`. A null
   * store is written as 0 (that storage type off).
   */
  jetstream?: { storeDir: string; maxFileStore: string | null; maxMemoryStore: string | null; comment?: string[] };
  /** Comment lines written at the top. */
  header?: string[];
}

/** Lame duck: on shutdown a server stops taking clients and moves them off over 30 s. */
export const LAME_DUCK_DURATION_S = 30;

const q = (s: string) => JSON.stringify(s);

/** A `tls { … }` block; `verify` for routes and gateways, `verify_and_map` for clients. */
function tlsBlock(indent: string, t: NonNullable<NatsConfInput['tls']>, check: 'verify' | 'verify_and_map'): string[] {
  return [
    `${indent}tls {`,
    `${indent}  cert_file: ${q(t.certFile)}`,
    `${indent}  key_file: ${q(t.keyFile)}`,
    `${indent}  ca_file: ${q(t.caFile)}`,
    `${indent}  ${check}: true`,
    `${indent}  timeout: 5`,
    `${indent}}`,
  ];
}

export function natsConf(c: NatsConfInput): string {
  const name = c.serverName.startsWith('$') ? c.serverName : q(c.serverName);
  const lines: string[] = [];
  for (const h of c.header ?? []) lines.push(`# ${h}`.trimEnd());
  lines.push(
    `server_name: ${name}`,
    `listen: ${q(c.listen)}`,
    `http: ${q(c.http)}`,
    `lame_duck_duration: "${LAME_DUCK_DURATION_S}s"`,
    'lame_duck_grace_period: "10s"',
  );
  if (c.tls) lines.push('', '# Clients: TLS, and a certificate mapped to a user below', ...tlsBlock('', c.tls, 'verify_and_map'));
  if (c.accounts?.length) {
    lines.push('', 'accounts {');
    for (const a of c.accounts)
      lines.push(`  ${a.name}: { ${a.jetstream ? 'jetstream: enabled, ' : ''}users: [${a.users.map((u) => ` { user: ${q(u)} }`).join(',')} ] }`);
    lines.push('}');
  }
  if (c.systemAccount) lines.push(`system_account: ${c.systemAccount}`);
  if (c.jetstream) {
    const j = c.jetstream;
    lines.push(
      '',
      ...(j.comment ?? []).map((l) => `# ${l}`.trimEnd()),
      'jetstream {',
      `  store_dir: ${q(j.storeDir)}`,
      `  max_file_store: ${j.maxFileStore ?? 0}`,
      `  max_memory_store: ${j.maxMemoryStore ?? 0}`,
      '}',
    );
  }
  lines.push(
    '',
    'cluster {',
    `  name: ${q(c.cluster.name)}`,
    `  listen: ${q(c.cluster.listen)}`,
    ...(c.tls ? tlsBlock('  ', c.tls, 'verify') : []),
    '  routes: [',
    ...c.cluster.routes.map((r) => `    ${q(`nats-route://${r}`)}`),
    '  ]',
    '}',
  );
  if (c.gateway) {
    lines.push(
      '',
      'gateway {',
      `  name: ${q(c.cluster.name)}`,
      `  listen: ${q(c.gateway.listen)}`,
      ...(c.tls ? tlsBlock('  ', c.tls, 'verify') : []),
      '  gateways: [',
    );
    for (const g of c.gateway.gateways) lines.push(`    { name: ${q(g.name)}, urls: [${g.urls.map((u) => q(`nats://${u}`)).join(', ')}] }`);
    lines.push('  ]', '}');
  }
  if (c.websocket)
    lines.push(
      '',
      'websocket {',
      `  listen: ${q(c.websocket.listen)}`,
      ...(c.tls ? tlsBlock('  ', c.tls, 'verify_and_map') : ['  no_tls: true']),
      '}',
    );
  return `${lines.join('\n')}\n`;
}
