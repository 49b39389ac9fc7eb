/**
 * Edits of async messaging (schema v3, issue 18): streams, consumers, and a service's publishes
 * and subscriptions, applied by `applyCommand` like every other edit (one undo step each).
 * Renames and removals of streams and consumers are `renameEntity` / `remove` with the kinds
 * `stream` and `consumer` (async-references.ts).
 */
import type { TopologyInput } from '../schema/topology.ts';
import { mergeFields, renameKey, withPosition } from './records.ts';
import { type ConsumerIn, consumerRefName, layoutKey, type PublishIn, type ServiceIn, type StreamIn, type SubscriptionIn, type XY } from './types.ts';

export type AsyncCommand =
  | { type: 'addStream'; stream: StreamIn; position?: XY }
  /** Sets fields of a stream (not its name: that is `renameEntity`, which keeps its consumers pointing at it). */
  | { type: 'setStream'; name: string; fields: Partial<Omit<StreamIn, 'name'>> }
  | { type: 'addConsumer'; consumer: ConsumerIn; position?: XY }
  /** Sets fields of the consumer `name` of `stream`; a new `stream` moves it (and its layout key) to that stream. */
  | { type: 'setConsumer'; stream: string; name: string; fields: Partial<Omit<ConsumerIn, 'name'>> }
  | { type: 'addPublish'; service: string; publish: PublishIn }
  | { type: 'setPublish'; service: string; index: number; fields: Partial<PublishIn> }
  | { type: 'removePublish'; service: string; index: number }
  | { type: 'addSubscription'; service: string; subscription: SubscriptionIn }
  | { type: 'setSubscription'; service: string; index: number; fields: Partial<SubscriptionIn> }
  | { type: 'removeSubscription'; service: string; index: number };

/** Applies an async command; the same document when it changes nothing. */
export function applyAsyncCommand(doc: TopologyInput, cmd: AsyncCommand): TopologyInput {
  switch (cmd.type) {
    case 'addStream':
      return withPosition(
        { ...doc, streams: [...(doc.streams ?? []), cmd.stream] },
        layoutKey({ kind: 'stream', name: cmd.stream.name }),
        cmd.position,
      );
    case 'setStream': {
      let changed = false;
      const streams = (doc.streams ?? []).map((s) => {
        if (s.name !== cmd.name) return s;
        const next = mergeFields<StreamIn>(s, cmd.fields);
        if (next !== s) changed = true;
        return next;
      });
      return changed ? { ...doc, streams } : doc;
    }
    case 'addConsumer':
      return withPosition(
        { ...doc, consumers: [...(doc.consumers ?? []), cmd.consumer] },
        layoutKey({ kind: 'consumer', name: consumerRefName(cmd.consumer.stream, cmd.consumer.name) }),
        cmd.position,
      );
    case 'setConsumer':
      return setConsumer(doc, cmd.stream, cmd.name, cmd.fields);
    case 'addPublish':
      return updateList(doc, cmd.service, 'publishes', (list) => [...list, cmd.publish]);
    case 'setPublish':
      return updateList(doc, cmd.service, 'publishes', (list) => setAt(list, cmd.index, cmd.fields));
    case 'removePublish':
      return updateList(doc, cmd.service, 'publishes', (list) => (cmd.index in list ? list.filter((_, i) => i !== cmd.index) : list));
    case 'addSubscription':
      return updateList(doc, cmd.service, 'subscribes', (list) => [...list, cmd.subscription]);
    case 'setSubscription':
      return updateList(doc, cmd.service, 'subscribes', (list) => setAt(list, cmd.index, cmd.fields));
    case 'removeSubscription':
      return updateList(doc, cmd.service, 'subscribes', (list) => (cmd.index in list ? list.filter((_, i) => i !== cmd.index) : list));
  }
}

function setConsumer(doc: TopologyInput, stream: string, name: string, fields: Partial<Omit<ConsumerIn, 'name'>>): TopologyInput {
  let changed = false;
  const consumers = (doc.consumers ?? []).map((c) => {
    if (c.stream !== stream || c.name !== name) return c;
    const next = mergeFields<ConsumerIn>(c, fields);
    if (next !== c) changed = true;
    return next;
  });
  if (!changed) return doc;
  const next: TopologyInput = { ...doc, consumers };
  if (fields.stream !== undefined && fields.stream !== stream && next.layout) {
    const from = layoutKey({ kind: 'consumer', name: consumerRefName(stream, name) });
    const to = layoutKey({ kind: 'consumer', name: consumerRefName(fields.stream, name) });
    next.layout = renameKey(next.layout, from, to);
  }
  return next;
}

function setAt<T extends object>(list: T[], index: number, fields: Partial<T>): T[] {
  const item = list[index];
  if (!item) return list;
  const next = mergeFields(item, fields);
  return next === item ? list : list.map((it, i) => (i === index ? next : it));
}

type ListKey = 'publishes' | 'subscribes';
type ListOf<K extends ListKey> = NonNullable<ServiceIn[K]>;

/** Updates one service's publishes or subscriptions; an emptied list is dropped (absent = none). */
function updateList<K extends ListKey>(doc: TopologyInput, service: string, key: K, fn: (list: ListOf<K>) => ListOf<K>): TopologyInput {
  let changed = false;
  const services = (doc.services ?? []).map((s) => {
    if (s.name !== service) return s;
    const list = (s[key] ?? []) as ListOf<K>;
    const next = fn(list);
    if (next === list) return s;
    changed = true;
    if (next.length > 0) return { ...s, [key]: next };
    const { [key]: _, ...rest } = s;
    return rest as ServiceIn;
  });
  return changed ? { ...doc, services } : doc;
}
