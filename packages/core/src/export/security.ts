/**
 * The production profile's security, in one place: which Secrets the team creates, what each
 * holds, where it is mounted, and which certificate identity NATS maps to which account.
 *
 * NATS runs TLS on every listener from a server certificate in `<cluster>-tls`; clients are
 * admitted only with a certificate signed by the same CA whose subject names a user
 * (`verify_and_map`), so no password exists anywhere. Bundles are users of one account
 * (`APP`); Busboard's live view is the one user of the system account (`SYS`), which sees
 * every server. Microbus (v1.x and newest alike) reads `ca.pem`, `cert.pem` and `key.pem`
 * from its working directory: each bundle's Secret is mounted there file by file.
 */
import type { BundlePlan, ExportPlan, NatsPlan } from './plan.ts';

export const APP_ACCOUNT = 'APP';
export const SYSTEM_ACCOUNT = 'SYS';
/** The common name of the certificate Busboard's live view (or any monitor) presents. */
export const MONITOR_IDENTITY = 'busboard-monitor';
/** Where the NATS server's Secret is mounted (`tls.crt`, `tls.key`, `ca.crt`). */
export const NATS_TLS_DIR = '/etc/nats-tls';
/** Secret keys, as cert-manager and `kubectl create secret tls` write them. */
export const SECRET_KEYS = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;
/** The file names Microbus looks for in its working directory, by Secret key. */
export const MICROBUS_FILES = [
  { key: SECRET_KEYS.ca, file: 'ca.pem' },
  { key: SECRET_KEYS.cert, file: 'cert.pem' },
  { key: SECRET_KEYS.key, file: 'key.pem' },
] as const;

export const natsTlsSecret = (plan: ExportPlan, n: NatsPlan) => plan.names.secret.name('nats-tls', `${n.name}-tls`);
export const bundleClientSecret = (plan: ExportPlan, b: BundlePlan) => plan.names.secret.name('bundle-nats', `${b.name}-nats-client`);
export const ingressTlsSecret = (plan: ExportPlan, ingress: string) => plan.names.secret.name('ingress-tls', `${ingress}-ingress-tls`);
/** The NATS user a bundle's client certificate maps to: its subject. */
export const bundleIdentity = (b: BundlePlan) => b.name;
export const userOf = (commonName: string) => `CN=${commonName}`;

/** The server certificate's DNS names: every Service and pod name a client, route or gateway dials. */
export function serverCertNames(plan: ExportPlan, n: NatsPlan): string[] {
  const forms = (host: string) => [host, `${host}.${plan.namespace}`, `${host}.${plan.namespace}.svc`, `${host}.${plan.namespace}.svc.cluster.local`];
  return [...forms(n.name), ...n.zoneSets.flatMap((z) => forms(z.name)), ...forms(`${n.name}-headless`), ...forms(`*.${n.name}-headless`)];
}

/** The accounts block of a production nats.conf. */
export function natsAccounts(plan: ExportPlan): { name: string; users: string[] }[] {
  return [
    { name: APP_ACCOUNT, users: plan.bundles.map((b) => userOf(bundleIdentity(b))) },
    { name: SYSTEM_ACCOUNT, users: [userOf(MONITOR_IDENTITY)] },
  ];
}

/**
 * Shell commands that make a test CA, the server certificates and one client certificate
 * per bundle with openssl, and create the Secrets. For trying the production profile; a
 * team with a CA (or cert-manager) issues the same names from it instead.
 */
export function certificateRecipe(plan: ExportPlan): string[] {
  const ns = plan.namespace;
  const lines = [
    '# A CA (keep ca.key out of the cluster)',
    'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 -subj "/CN=busboard-ca" -keyout ca.key -out ca.crt',
  ];
  const issue = (file: string, cn: string, ext: string) => [
    `openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=${cn}" -keyout ${file}.key -out ${file}.csr`,
    `printf '${ext}' > ${file}.ext`,
    `openssl x509 -req -in ${file}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -extfile ${file}.ext -out ${file}.crt`,
  ];
  for (const n of plan.nats) {
    const secret = natsTlsSecret(plan, n);
    lines.push(
      `# NATS cluster ${n.name}: one certificate for its servers (server and client use: routes present it to each other)`,
      ...issue(
        n.name,
        n.name,
        `subjectAltName=${serverCertNames(plan, n)
          .map((d) => `DNS:${d}`)
          .join(',')}\\nextendedKeyUsage=serverAuth,clientAuth\\n`,
      ),
      `kubectl -n ${ns} create secret generic ${secret} --from-file=${SECRET_KEYS.cert}=${n.name}.crt --from-file=${SECRET_KEYS.key}=${n.name}.key --from-file=${SECRET_KEYS.ca}=ca.crt`,
    );
  }
  for (const b of plan.bundles) {
    if (!b.deployments.length) continue;
    const id = bundleIdentity(b);
    lines.push(
      `# Bundle ${b.bundle.name}: its client certificate (NATS user ${userOf(id)} in account ${APP_ACCOUNT})`,
      ...issue(`client-${b.name}`, id, 'extendedKeyUsage=clientAuth\\n'),
      `kubectl -n ${ns} create secret generic ${bundleClientSecret(plan, b)} --from-file=${SECRET_KEYS.cert}=client-${b.name}.crt --from-file=${SECRET_KEYS.key}=client-${b.name}.key --from-file=${SECRET_KEYS.ca}=ca.crt`,
    );
  }
  lines.push(
    `# Busboard's live view (NATS user ${userOf(MONITOR_IDENTITY)} in the system account ${SYSTEM_ACCOUNT})`,
    ...issue(MONITOR_IDENTITY, MONITOR_IDENTITY, 'extendedKeyUsage=clientAuth\\n'),
  );
  return lines;
}
