/**
 * Retries of a call or a traffic item (schema v2, engine/retries.ts): a rejected attempt is sent
 * again up to `retries` times, after `backoffMs`, each next wait `backoffMultiplier` times longer.
 * Empty retries: none (clearing it clears the backoff too: without retries nothing is sent again).
 */
import type { Command } from '@busboard/core';
import { NumberField } from './fields.tsx';

interface RetryValues {
  retries?: number | undefined;
  backoffMs?: number | undefined;
  backoffMultiplier?: number | undefined;
}

export function RetryFields({
  value,
  command,
  testId,
}: {
  value: RetryValues;
  /** The edit that sets these fields (setCall or setTraffic). */
  command: (fields: RetryValues) => Command;
  testId: string;
}) {
  const on = value.retries !== undefined;
  return (
    <div className="field-row" data-testid={testId}>
      <NumberField
        label="Retries"
        value={value.retries}
        optional
        step={1}
        min={0}
        testId={`${testId}-retries`}
        hint={on ? 'on rejection' : 'empty: none'}
        command={(v) => command(v === undefined ? { retries: undefined, backoffMs: undefined, backoffMultiplier: undefined } : { retries: v })}
      />
      {on && (
        <NumberField
          label="Backoff ms"
          value={value.backoffMs}
          optional
          min={0}
          testId={`${testId}-backoff`}
          hint="empty: 0"
          command={(v) => command({ backoffMs: v })}
        />
      )}
      {on && (
        <NumberField
          label="× each retry"
          value={value.backoffMultiplier}
          optional
          min={1}
          testId={`${testId}-multiplier`}
          hint="empty: 2"
          command={(v) => command({ backoffMultiplier: v })}
        />
      )}
    </div>
  );
}
