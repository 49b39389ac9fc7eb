/** Find a node by name (Ctrl+K or /): type, pick with arrows, Enter selects and centres it. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { bundleId, consumerId, databaseId, externalId, serviceId, streamId } from '../canvas/ids.ts';
import { useDesign } from '../design/context.ts';
import { useView } from '../state/view.ts';

export function SearchBox({ onClose }: { onClose(): void }) {
  const { doc } = useDesign();
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const all = useMemo(
    () => [
      ...doc.services.map((s) => ({ id: serviceId(s.name), label: s.name, kind: 'service' })),
      ...doc.bundles.map((b) => ({ id: bundleId(b.name), label: b.name, kind: 'bundle' })),
      ...doc.databases.map((d) => ({ id: databaseId(d.name), label: d.name, kind: 'database' })),
      ...doc.externals.map((x) => ({ id: externalId(x.name), label: x.name, kind: 'external' })),
      ...(doc.streams ?? []).map((s) => ({ id: streamId(s.name), label: s.name, kind: 'stream' })),
      ...(doc.consumers ?? []).map((c) => ({ id: consumerId(c.stream, c.name), label: `${c.stream}/${c.name}`, kind: 'consumer' })),
    ],
    [doc],
  );
  const matches = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (needle ? all.filter((n) => n.label.toLowerCase().includes(needle)) : all).slice(0, 12);
  }, [all, q]);
  const pick = (id: string | undefined) => {
    if (!id) return;
    const v = useView.getState();
    if (v.view !== 'logical') v.setView('logical');
    v.focus([id]);
    onClose();
  };
  return (
    <div className="search-box" role="dialog" aria-label="Find a node">
      <input
        ref={input}
        value={q}
        placeholder="Find a service, bundle, database…"
        aria-label="find a node by name"
        data-testid="search-input"
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') pick(matches[active]?.id);
        }}
        onBlur={() => setTimeout(onClose, 150)}
      />
      <ul>
        {matches.map((m, i) => (
          <li key={m.id}>
            <button type="button" className={i === active ? 'active' : ''} onMouseDown={() => pick(m.id)}>
              {m.label} <span className="muted small">{m.kind}</span>
            </button>
          </li>
        ))}
        {matches.length === 0 && <li className="muted small">No node named like that.</li>}
      </ul>
    </div>
  );
}
