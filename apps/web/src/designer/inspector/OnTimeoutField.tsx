/**
 * What a service's in-service work does when a request's time budget runs out (schema v2
 * `onTimeout`): `finish` (Go code that does not watch its context runs on, the work wasted) or
 * `stop` (the handler honours its context: the worker is freed at the deadline).
 */
import type { ServiceT } from '@busboard/core';
import { useDesign } from '../../design/context.ts';
import { SelectField } from './fields.tsx';

export function OnTimeoutField({ service }: { service: ServiceT }) {
  const { doc } = useDesign();
  const budgeted = doc.traffic.some((t) => t.timeBudgetMs !== undefined);
  if (!budgeted && service.onTimeout === undefined) return null;
  const name = service.name;
  return (
    <div className="field-row" data-testid="on-timeout">
      <SelectField
        label="At the deadline, its work"
        value={service.onTimeout ?? 'finish'}
        testId="field-onTimeout"
        options={[
          { value: 'finish', label: 'finishes (wasted, worker held)' },
          { value: 'stop', label: 'stops (worker freed)' },
        ]}
        command={(v) => ({ type: 'setService', name, fields: { onTimeout: v === 'stop' ? 'stop' : 'finish' } })}
      />
    </div>
  );
}
