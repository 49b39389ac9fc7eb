/** The property inspector: whatever is selected, or the design itself when nothing is. */
import { consumerOf, parseCallId, parseEntityId } from '../../canvas/ids.ts';
import { useDesign } from '../../design/context.ts';
import { useView } from '../../state/view.ts';
import { BundleInspector } from './BundleInspector.tsx';
import { ConsumerInspector } from './ConsumerInspector.tsx';
import { DocumentInspector } from './DocumentInspector.tsx';
import { CallInspector, DatabaseInspector, ExternalInspector, ZoneInspector } from './EndpointInspectors.tsx';
import { ServiceInspector } from './ServiceInspector.tsx';
import { StreamInspector } from './StreamInspector.tsx';

export function Inspector() {
  const { doc } = useDesign();
  const selection = useView((s) => s.selection);
  if (selection.length > 1) {
    return (
      <div className="inspector-body">
        <p>
          <strong>{selection.length}</strong> selected. <span className="muted">Delete removes them all (one undo step).</span>
        </p>
      </div>
    );
  }
  const id = selection[0];
  if (!id) return <DocumentInspector />;
  const ref = parseEntityId(id);
  const name = ref?.name ?? '';
  // Keyed by id so fields reset when the selection moves on.
  if (ref?.kind === 'service') {
    const s = doc.services.find((x) => x.name === name);
    if (s) return <ServiceInspector key={id} service={s} />;
  } else if (ref?.kind === 'bundle') {
    const b = doc.bundles.find((x) => x.name === name);
    if (b) return <BundleInspector key={id} bundle={b} />;
  } else if (ref?.kind === 'database') {
    const d = doc.databases.find((x) => x.name === name);
    if (d) return <DatabaseInspector key={id} db={d} />;
  } else if (ref?.kind === 'external') {
    const e = doc.externals.find((x) => x.name === name);
    if (e) return <ExternalInspector key={id} ext={e} />;
  } else if (ref?.kind === 'stream') {
    const st = doc.streams?.find((x) => x.name === name);
    if (st) return <StreamInspector key={id} stream={st} />;
  } else if (ref?.kind === 'consumer') {
    const c = consumerOf(id);
    const found = c && doc.consumers?.find((x) => x.stream === c.stream && x.name === c.name);
    if (found) return <ConsumerInspector key={id} consumer={found} />;
  } else if (ref?.kind === 'zone') {
    const z = doc.zones.find((x) => x.name === name);
    if (z) return <ZoneInspector key={id} zone={z} />;
  } else {
    const call = parseCallId(id);
    if (call) return <CallInspector key={id} from={call.from} index={call.index} />;
  }
  return <DocumentInspector />;
}
