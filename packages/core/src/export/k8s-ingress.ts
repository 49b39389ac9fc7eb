/**
 * Where traffic enters: a Service in front of every replica of the bundle that holds a
 * traffic entry (Microbus's HTTP ingress listens on :8080), and in the production profile an
 * Ingress for the host the team names, with TLS from a Secret they create.
 */
import { bundleSelector, commonLabels } from './k8s-labels.ts';
import { type ExportPlan, type ExposurePlan, INGRESS_PORT } from './plan.ts';
import { ingressTlsSecret } from './security.ts';
import type { Manifest } from './types.ts';

export function exposureManifests(plan: ExportPlan, e: ExposurePlan): Manifest[] {
  const b = e.bundle;
  const labels = commonLabels(plan, b.name, 'bundle', b.name);
  const out: Manifest[] = [
    {
      comment: [
        `Traffic enters bundle ${b.bundle.name} at ${e.entries.join(', ')}: this Service reaches every replica on Microbus's HTTP ingress port.`,
        e.ingress
          ? `The Ingress below publishes it as https://${plan.ingressHost}/.`
          : `Try it with: kubectl -n ${plan.namespace} port-forward service/${e.service} ${INGRESS_PORT}:${INGRESS_PORT}`,
      ],
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: e.service, namespace: plan.namespace, labels },
        spec: { selector: bundleSelector(plan, b), ports: [{ name: 'http', port: INGRESS_PORT, targetPort: 'http' }] },
      },
    },
  ];
  if (e.ingress && plan.ingressHost) {
    const host = plan.ingressHost;
    out.push({
      comment: [
        `https://${host}/ → bundle ${b.bundle.name}. TLS from Secret ${ingressTlsSecret(plan, e.ingress)} (create it, or let cert-manager fill it).`,
      ],
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: e.ingress, namespace: plan.namespace, labels },
        spec: {
          ...(plan.ingressClass ? { ingressClassName: plan.ingressClass } : {}),
          tls: [{ hosts: [host], secretName: ingressTlsSecret(plan, e.ingress) }],
          rules: [
            {
              host,
              http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: e.service, port: { name: 'http' } } } }] },
            },
          ],
        },
      },
    });
  }
  return out;
}
