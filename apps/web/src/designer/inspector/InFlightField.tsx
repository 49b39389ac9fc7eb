/**
 * A service's in-flight cap and routing (schema v2): how many requests one replica holds at once,
 * from admission to its response (a channel or connection pool), and how callers pick a replica:
 * the NATS queue group's random choice, or least connections (a load balancer in front).
 */
import type { ServiceT } from '@busboard/core';
import { NumberField, SelectField } from './fields.tsx';

export function InFlightField({ service }: { service: ServiceT }) {
  const name = service.name;
  const cap = service.maxInFlight;
  return (
    <div data-testid="in-flight">
      <NumberField
        label="In flight / replica"
        value={cap}
        optional
        step={1}
        min={1}
        testId="field-maxInFlight"
        hint={cap === undefined ? 'empty: no cap' : 'held to the response; a full pool rejects'}
        // Without a cap or a queue limit nothing is rejected, so the status goes too.
        command={(v) => ({
          type: 'setService',
          name,
          fields: v === undefined && service.queueLimit === undefined ? { maxInFlight: undefined, rejectWith: undefined } : { maxInFlight: v },
        })}
      />
      <SelectField
        label="Routing"
        value={service.routing ?? 'queue-group'}
        testId="field-service-routing"
        options={[
          { value: 'queue-group', label: 'queue group (a random replica)' },
          { value: 'least-connections', label: 'least connections (fewest held)' },
        ]}
        command={(v) => ({ type: 'setService', name, fields: { routing: v === 'least-connections' ? 'least-connections' : undefined } })}
      />
    </div>
  );
}
