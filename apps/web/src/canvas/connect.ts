/**
 * What a connection drawn on the canvas means, as a core command: service → service or a
 * database/external is a call; service → stream publishes on a subject the stream captures;
 * stream → service adds a consumer running on that service; consumer → service moves the
 * consumer onto it; stream → consumer moves the consumer to that stream.
 */
import { type Command, paletteCommand, type Topology, type TopologyInput } from '@busboard/core';
import { callTargetOf, consumerOf, serviceOf } from './ids.ts';

/** A literal subject inside a stream's pattern: wildcards become `event` (`orders.>` → `orders.event`). */
export function subjectIn(pattern: string): string {
  return pattern
    .split('.')
    .map((t) => (t === '*' || t === '>' ? 'event' : t))
    .join('.');
}

const streamOf = (id: string): string | null => (id.startsWith('stream:') ? id.slice('stream:'.length) : null);

export function connectCommand(
  input: TopologyInput,
  doc: Topology,
  source: string,
  target: string,
): { command: Command; what: string; refused: string } | null {
  const from = serviceOf(source);
  const fromStream = streamOf(source);
  const fromConsumer = consumerOf(source);
  const toService = serviceOf(target);
  const toStream = streamOf(target);
  const toConsumer = consumerOf(target);
  if (from !== null && toStream !== null) {
    const stream = doc.streams?.find((s) => s.name === toStream);
    const subject = subjectIn(stream?.subjects[0] ?? 'events.>');
    return {
      command: { type: 'addPublish', service: from, publish: { subject, perRequest: 1, payloadBytes: 512 } },
      what: `${from} publishes ${subject} into ${toStream}`,
      refused: `${from} cannot publish into ${toStream}`,
    };
  }
  if (fromStream !== null && toService !== null)
    return {
      command: paletteCommand(input, 'consumer', { stream: fromStream, service: toService }),
      what: `a consumer of ${fromStream} on ${toService}`,
      refused: `Cannot add a consumer of ${fromStream} on ${toService}`,
    };
  if (fromConsumer && toService !== null)
    return {
      command: { type: 'setConsumer', stream: fromConsumer.stream, name: fromConsumer.name, fields: { service: toService } },
      what: `${fromConsumer.name} runs on ${toService}`,
      refused: `${fromConsumer.name} cannot run on ${toService}`,
    };
  if (fromStream !== null && toConsumer)
    return {
      command: { type: 'setConsumer', stream: toConsumer.stream, name: toConsumer.name, fields: { stream: fromStream } },
      what: `${toConsumer.name} reads ${fromStream}`,
      refused: `${toConsumer.name} cannot read ${fromStream}`,
    };
  if (from !== null && !toStream && !toConsumer) {
    const to = callTargetOf(target);
    return { command: { type: 'addCall', from, call: { to, perRequest: 1 } }, what: `${from} calls ${to}`, refused: `${from} cannot call ${to}` };
  }
  return null;
}
