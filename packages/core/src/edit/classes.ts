/**
 * Edits of traffic classes (schema v2 `classes[]`): a rename reaches every reference (traffic
 * items, admission rows, SLOs); a removal leaves none behind — its traffic falls back to the
 * default class, its admission rows and its SLOs go, and an empty `classes` list disappears
 * (the document reads as one without classes again).
 */
import type { TopologyInput } from '../schema/topology.ts';

export type ClassIn = NonNullable<TopologyInput['classes']>[number];

export type ClassCommand =
  | { type: 'addClass'; klass: ClassIn }
  /** Sets a class's priority; `undefined` removes it (first come, first served among equals). */
  | { type: 'setClass'; name: string; fields: { priority?: number | undefined } }
  | { type: 'renameClass'; from: string; to: string }
  | { type: 'removeClass'; name: string };

export function applyClassCommand(doc: TopologyInput, cmd: ClassCommand): TopologyInput {
  const classes = doc.classes ?? [];
  switch (cmd.type) {
    case 'addClass':
      return { ...doc, classes: [...classes, cmd.klass] };
    case 'setClass': {
      const i = classes.findIndex((c) => c.name === cmd.name);
      const c = classes[i];
      if (!c) return doc;
      const { priority: _, ...rest } = c;
      const next = cmd.fields.priority === undefined ? rest : { ...c, priority: cmd.fields.priority };
      return { ...doc, classes: classes.map((x, j) => (j === i ? next : x)) };
    }
    case 'renameClass': {
      const to = cmd.to.trim();
      if (!to || to === cmd.from) return doc;
      const swap = (n: string | undefined) => (n === cmd.from ? to : n);
      return {
        ...doc,
        classes: classes.map((c) => (c.name === cmd.from ? { ...c, name: to } : c)),
        traffic: doc.traffic?.map((t) => (t.class === cmd.from ? { ...t, class: to } : t)),
        slo: doc.slo?.map((s) => (s.class === cmd.from ? { ...s, class: to } : s)),
        services: doc.services?.map((s) =>
          s.admission?.some((a) => a.class === cmd.from)
            ? { ...s, admission: s.admission.map((a) => ({ ...a, class: swap(a.class) as string })) }
            : s,
        ),
      };
    }
    case 'removeClass': {
      const left = classes.filter((c) => c.name !== cmd.name);
      const { classes: _, ...rest } = doc;
      return {
        ...(left.length ? { ...rest, classes: left } : rest),
        traffic: doc.traffic?.map((t) => {
          if (t.class !== cmd.name) return t;
          const { class: __, ...plain } = t;
          return plain;
        }),
        slo: doc.slo?.filter((s) => s.class !== cmd.name),
        services: doc.services?.map((s) => {
          if (!s.admission?.some((a) => a.class === cmd.name)) return s;
          const rows = s.admission.filter((a) => a.class !== cmd.name);
          const { admission: ___, ...plain } = s;
          return rows.length ? { ...plain, admission: rows } : plain;
        }),
      };
    }
  }
}
