/**
 * A design in miniature for the designs list: one box per bundle at its layout position (or in
 * a row when it has none), one line per bundle-to-bundle call, scaled into a fixed box.
 */
import { layoutKey, type Topology } from '@busboard/core';

export interface Thumbnail {
  width: number;
  height: number;
  boxes: { x: number; y: number; w: number; h: number; name: string }[];
  lines: { x1: number; y1: number; x2: number; y2: number }[];
}

const BOX_W = 200;
const BOX_H = 90;

export function thumbnail(doc: Topology, width = 120, height = 64): Thumbnail {
  const raw = doc.bundles.map((b, i) => {
    const at = doc.layout?.[layoutKey({ kind: 'bundle', name: b.name })];
    return { name: b.name, x: at?.x ?? i * (BOX_W + 60), y: at?.y ?? 0, h: BOX_H + 24 * b.services.length };
  });
  if (raw.length === 0) return { width, height, boxes: [], lines: [] };
  const minX = Math.min(...raw.map((r) => r.x));
  const minY = Math.min(...raw.map((r) => r.y));
  const maxX = Math.max(...raw.map((r) => r.x + BOX_W));
  const maxY = Math.max(...raw.map((r) => r.y + r.h));
  const pad = 4;
  const k = Math.min((width - 2 * pad) / Math.max(1, maxX - minX), (height - 2 * pad) / Math.max(1, maxY - minY));
  const boxes = raw.map((r) => ({ name: r.name, x: pad + (r.x - minX) * k, y: pad + (r.y - minY) * k, w: BOX_W * k, h: r.h * k }));
  const byService = new Map<string, (typeof boxes)[number]>();
  doc.bundles.forEach((b, i) => {
    const box = boxes[i];
    if (box) for (const s of b.services) byService.set(s, box);
  });
  const seen = new Set<string>();
  const lines: Thumbnail['lines'] = [];
  for (const s of doc.services) {
    const from = byService.get(s.name);
    for (const c of s.calls) {
      const to = byService.get(c.to);
      if (!from || !to || from === to || seen.has(`${from.name}>${to.name}`)) continue;
      seen.add(`${from.name}>${to.name}`);
      lines.push({ x1: from.x + from.w, y1: from.y + from.h / 2, x2: to.x, y2: to.y + to.h / 2 });
    }
  }
  return { width, height, boxes, lines };
}

/** `Untitled design`, then `Untitled design 2`, 3…: a new design's name not yet in the list. */
export function freshName(base: string, taken: readonly string[]): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base} ${n}`)) return `${base} ${n}`;
}
