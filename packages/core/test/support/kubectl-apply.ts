/**
 * `kubectl apply`'s client-side three-way merge, for the fields a re-apply of a Deployment
 * touches (scalars and maps; lists replaced whole), as kubectl's CreateThreeWayMergePatch
 * does it: a field in the new file is set; a field in the last-applied configuration (the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation) but not in the new file is
 * deleted; a field in neither (written by a controller, such as the autoscaler's replica
 * count) is kept as it is live.
 */
type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function threeWayApply(lastApplied: Json | undefined, live: Json, desired: Json): Json {
  const out: Json = structuredClone(live);
  for (const key of Object.keys(lastApplied ?? {})) if (!(key in desired)) delete out[key];
  for (const [key, value] of Object.entries(desired)) {
    const before = lastApplied?.[key];
    const now = live[key];
    out[key] = isMap(value) && isMap(now) ? threeWayApply(isMap(before) ? before : undefined, now, value) : structuredClone(value);
  }
  return out;
}

/** Defaults the API server fills in that matter here: a Deployment without replicas gets 1. */
export function defaultDeployment(o: Json): Json {
  const spec = isMap(o.spec) ? o.spec : {};
  return { ...o, spec: { replicas: 1, ...spec } };
}
