/**
 * For a stored design that today's stricter rules refuse (service names that are not
 * hostnames, fields Busboard does not know): the exact changes that would make it open, shown
 * before anything is rewritten. Applying saves a new revision; History keeps the old one.
 */
import { repairDocument } from '@busboard/core';
import { useMemo } from 'react';
import { useEditor } from '../state/editor.ts';
import { useToasts } from '../state/toast.ts';

export function RepairOffer() {
  const doc = useEditor((s) => s.doc);
  const stored = useEditor((s) => s.id !== null);
  const repair = useMemo(() => (doc ? repairDocument(doc) : null), [doc]);
  if (!repair) return null;
  const apply = () => {
    const problems = useEditor.getState().dispatch({ type: 'replaceDocument', doc: repair.doc });
    if (problems.length) useToasts.getState().problems('The repair did not take', problems);
  };
  return (
    <section className="repair-offer" data-testid="repair-offer" aria-label="Repair">
      <h2>It can open after these changes</h2>
      <ul>
        {repair.changes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <p className="muted small">
        {stored ? 'Applying saves a new revision; the current one stays in History.' : 'Nothing is saved until you save the design.'}
      </p>
      <button type="button" className="primary" onClick={apply} data-testid="repair-apply">
        Apply these changes and open
      </button>
    </section>
  );
}
