/**
 * A service's bounded queue (schema v2): how many requests may wait at one replica beyond the
 * ones its workers hold, and the status a rejected request gets. Empty: unbounded (as in v1).
 */
import type { ServiceT } from '@busboard/core';
import { NumberField, SelectField } from './fields.tsx';

export function QueueLimitField({ service }: { service: ServiceT }) {
  const name = service.name;
  const limit = service.queueLimit;
  return (
    <div className="field-row" data-testid="queue-limit">
      <NumberField
        label="Queue limit / replica"
        value={limit}
        optional
        step={1}
        min={0}
        testId="field-queueLimit"
        hint={limit === undefined ? 'empty: unbounded' : 'a full line rejects at once'}
        // Clearing the limit clears the status too: without a limit (or an in-flight cap) nothing is rejected.
        command={(v) => ({
          type: 'setService',
          name,
          fields: v === undefined && service.maxInFlight === undefined ? { queueLimit: undefined, rejectWith: undefined } : { queueLimit: v },
        })}
      />
      {(limit !== undefined || service.maxInFlight !== undefined) && (
        <SelectField
          label="Rejects with"
          value={service.rejectWith === 503 ? '503' : '429'}
          testId="field-rejectWith"
          options={[
            { value: '429', label: '429 (too many)' },
            { value: '503', label: '503 (unavailable)' },
          ]}
          command={(v) => ({ type: 'setService', name, fields: { rejectWith: v === '503' ? 503 : 429 } })}
        />
      )}
    </div>
  );
}
