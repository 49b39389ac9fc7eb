/**
 * Canvas pictures: an SVG drawn from what React Flow has laid out (node boxes with their
 * labels, the edges' own paths), and a PNG rasterised from it. No foreignObject and no
 * inline script: it works under the strict CSP (`img-src 'self' data: blob:`).
 */
import type { ReactFlowInstance } from '@xyflow/react';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function canvasSvg(rf: ReactFlowInstance, root: HTMLElement): { svg: string; width: number; height: number } {
  const bg = cssVar('--bg', '#ffffff');
  const panel = cssVar('--panel', '#ffffff');
  const text = cssVar('--text', '#1d2330');
  const border = cssVar('--border', '#d9dde5');
  const boxes: string[] = [];
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const groups: string[] = [];
  for (const n of rf.getNodes()) {
    const inode = rf.getInternalNode(n.id);
    if (!inode || n.hidden) continue;
    const { x, y } = inode.internals.positionAbsolute;
    const w = inode.measured.width ?? n.width ?? 0;
    const h = inode.measured.height ?? n.height ?? 0;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + w);
    maxY = Math.max(maxY, y + h);
    const el = root.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(n.id)}"] > *`);
    const style = el ? getComputedStyle(el) : null;
    const fill = style?.backgroundColor && style.backgroundColor !== 'rgba(0, 0, 0, 0)' ? style.backgroundColor : n.parentId ? panel : 'none';
    const stroke = style?.borderLeftColor ?? border;
    const dash = style?.borderTopStyle === 'dashed' ? ' stroke-dasharray="6 4"' : '';
    const lines = (el?.innerText ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 3);
    const label = lines
      .map(
        (l, i) =>
          `<text x="${x + 10}" y="${y + 18 + i * 16}" font-size="${i === 0 ? 13 : 11}" ${i === 0 ? 'font-weight="600"' : ''} fill="${text}">${esc(l)}</text>`,
      )
      .join('');
    const box = `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="1.5"${dash}/>${label}`;
    (n.parentId ? boxes : groups).push(box);
  }
  const edges: string[] = [];
  root.querySelectorAll<SVGPathElement>('.react-flow__edge path.react-flow__edge-path').forEach((p) => {
    edges.push(`<path d="${p.getAttribute('d') ?? ''}" fill="none" stroke="${getComputedStyle(p).stroke || border}" stroke-width="1.5"/>`);
  });
  root.querySelectorAll<HTMLElement>('.react-flow__edge-text').forEach((t) => {
    const parent = t.closest('g');
    const tr = parent?.getAttribute('transform');
    if (tr) edges.push(`<text transform="${tr}" font-size="11" fill="${text}">${esc(t.textContent ?? '')}</text>`);
  });
  if (!Number.isFinite(minX)) {
    minX = 0;
    minY = 0;
    maxX = 100;
    maxY = 100;
  }
  const pad = 24;
  const width = Math.ceil(maxX - minX + 2 * pad);
  const height = Math.ceil(maxY - minY + 2 * pad);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX - pad} ${minY - pad} ${width} ${height}" font-family="system-ui, sans-serif"><rect x="${minX - pad}" y="${minY - pad}" width="${width}" height="${height}" fill="${bg}"/>${groups.join('')}${edges.join('')}${boxes.join('')}</svg>`;
  return { svg, width, height };
}

export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    const s = Math.min(scale, 8000 / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * s));
    canvas.height = Math.max(1, Math.round(height * s));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.scale(s, s);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
