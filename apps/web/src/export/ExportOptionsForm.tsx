/**
 * The export dialog's options: format and profile as segmented choices, then the fields that
 * apply to them. Fields a format ignores are hidden (compose has no namespace, cloud or
 * autoscaler), and the production profile's own fields appear only with it.
 */
import type { Cloud, ExportFormat, ExportProfile, MicrobusVersion } from '@busboard/core/export';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  k8s: 'Kubernetes',
  helm: 'Helm + Kubernetes',
  compose: 'docker-compose',
};
const PROFILE_LABELS: Record<ExportProfile, string> = {
  'quick-start': 'Quick start',
  production: 'Production',
};

export interface ExportChoices {
  format: ExportFormat;
  profile: ExportProfile;
  microbus: MicrobusVersion;
  namespace: string;
  imagePrefix: string;
  imageTag: string;
  cloud: Cloud | '';
  websocket: boolean;
  autoscaler: boolean;
  /** `autoscalePolicies[].name` to export ('' = the bundles' own autoscale). */
  policy: string;
  ingressHost: string;
  ingressClass: string;
  workingDir: string;
}

export const DEFAULT_CHOICES: ExportChoices = {
  format: 'k8s',
  profile: 'quick-start',
  microbus: 'newest',
  namespace: 'default',
  imagePrefix: '',
  imageTag: '',
  cloud: '',
  websocket: false,
  autoscaler: true,
  policy: '',
  ingressHost: '',
  ingressClass: '',
  workingDir: '/app',
};

interface Props {
  choices: ExportChoices;
  onChange: (patch: Partial<ExportChoices>) => void;
  /** The document's autoscalePolicies[] names (a choice appears only when there are some). */
  policies?: string[];
}

function Segmented<T extends string>({
  legend,
  name,
  value,
  labels,
  onPick,
  disabled,
}: {
  legend: string;
  name: string;
  value: T;
  labels: Record<T, string>;
  onPick: (v: T) => void;
  disabled?: (v: T) => string | null;
}) {
  return (
    <fieldset className="export-formats">
      <legend>{legend}</legend>
      {(Object.keys(labels) as T[]).map((v) => {
        const why = disabled?.(v) ?? null;
        return (
          <label key={v} className={`${v === value ? 'chosen' : ''}${why ? ' disabled' : ''}`} title={why ?? undefined}>
            <input type="radio" name={name} value={v} checked={v === value} disabled={why !== null} onChange={() => onPick(v)} />
            {labels[v]}
          </label>
        );
      })}
    </fieldset>
  );
}

function Text({
  label,
  value,
  placeholder,
  onChange,
  hint,
}: {
  label: string;
  value: string;
  placeholder?: string;
  onChange: (v: string) => void;
  hint?: string;
}) {
  return (
    <label className="export-field" title={hint}>
      <span>{label}</span>
      <input value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
    </label>
  );
}

export function ExportOptionsForm({ choices: c, onChange, policies = [] }: Props) {
  const kube = c.format !== 'compose';
  const production = kube && c.profile === 'production';
  return (
    <div className="export-options" data-testid="export-options">
      <div className="export-row">
        <Segmented
          legend="Format"
          name="export-format"
          value={c.format}
          labels={FORMAT_LABELS}
          onPick={(format) => onChange({ format, ...(format === 'compose' ? { profile: 'quick-start' as const } : {}) })}
        />
        <Segmented
          legend="Profile"
          name="export-profile"
          value={c.profile}
          labels={PROFILE_LABELS}
          onPick={(profile) => onChange({ profile })}
          disabled={(p) => (p === 'production' && !kube ? 'compose is for a laptop: production needs Kubernetes or Helm' : null)}
        />
        <label className="export-field">
          <span>Microbus</span>
          <select value={c.microbus} onChange={(e) => onChange({ microbus: e.target.value as MicrobusVersion })}>
            <option value="newest">Newest (locality us-east-1-a)</option>
            <option value="v1">v1.x (locality a.1.east.us)</option>
          </select>
        </label>
        {kube && (
          <label className="export-field">
            <span>Zones from the cloud</span>
            <select value={c.cloud} onChange={(e) => onChange({ cloud: e.target.value as Cloud | '' })}>
              <option value="">No: a Deployment per zone</option>
              <option value="aws">AWS: spread even bundles</option>
              <option value="gcp">GCP: spread even bundles</option>
            </select>
          </label>
        )}
      </div>
      <div className="export-row">
        {kube && <Text label="Namespace" value={c.namespace} onChange={(namespace) => onChange({ namespace })} />}
        <Text label="Image prefix" value={c.imagePrefix} placeholder="ghcr.io/acme/" onChange={(imagePrefix) => onChange({ imagePrefix })} />
        <Text
          label="Image tag"
          value={c.imageTag}
          placeholder={production ? 'required, e.g. 1.4.2' : '1.4.2'}
          hint="Given to every image that has no tag of its own"
          onChange={(imageTag) => onChange({ imageTag })}
        />
        {kube && (
          <label className="export-check" title="Off: each Deployment sets its replicas and no autoscaler is written">
            <input type="checkbox" checked={c.autoscaler} onChange={(e) => onChange({ autoscaler: e.target.checked })} />
            Autoscaler
          </label>
        )}
        {kube && c.autoscaler && policies.length > 0 && (
          <label className="export-field" title="The autoscalers written, exactly as the timeline simulates them (busboard timeline --policy)">
            <span>Autoscale policy</span>
            <select value={c.policy} onChange={(e) => onChange({ policy: e.target.value })} data-testid="export-policy">
              <option value="">The bundles' own</option>
              {policies.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="export-check">
          <input type="checkbox" checked={c.websocket} onChange={(e) => onChange({ websocket: e.target.checked })} />
          NATS WebSocket
        </label>
      </div>
      {production && (
        <div className="export-row export-production" data-testid="export-production">
          <Text label="Ingress host" value={c.ingressHost} placeholder="shop.example.com" onChange={(ingressHost) => onChange({ ingressHost })} />
          <Text label="Ingress class" value={c.ingressClass} placeholder="cluster default" onChange={(ingressClass) => onChange({ ingressClass })} />
          <Text
            label="Image working directory"
            value={c.workingDir}
            hint="The image's WORKDIR: Microbus reads ca.pem, cert.pem and key.pem there"
            onChange={(workingDir) => onChange({ workingDir })}
          />
          <p className="export-note muted">NATS with TLS and accounts: create the Secrets README.md lists before applying.</p>
        </div>
      )}
    </div>
  );
}
