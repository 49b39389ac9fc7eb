/**
 * Where a palette item lands when clicked: in free space inside the part of the canvas the
 * user is looking at, never on top of a node and never off-screen. Free spots are taken in
 * reading order (left to right, then down), so a design built by clicking reads like one
 * laid out by hand: ingress first, what it calls to its right. Pure: rectangles in, a
 * position out (canvas coordinates throughout).
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface XY {
  x: number;
  y: number;
}

/** Space kept between a new box and its neighbours: above and below, and beside (room for a call's label). */
export const MARGIN = 24;
export const GAP_X = 72;

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w + GAP_X && b.x < a.x + a.w + GAP_X && a.y < b.y + b.h + MARGIN && b.y < a.y + a.h + MARGIN;
}

/**
 * The top-left corner for a `size` box inside `view`, overlapping none of `occupied` (with a
 * margin): the first free spot in reading order on a fine grid, looking first right of
 * `after` (the thing just worked on), then on the rows from its top down, then anywhere;
 * null when the view is full.
 */
export function freeSpotInView(view: Rect, occupied: readonly Rect[], size: { w: number; h: number }, after?: XY): XY | null {
  if (after && after.x >= view.x && after.y >= view.y) {
    const right = { x: after.x, y: after.y, w: view.x + view.w - after.x, h: view.y + view.h - after.y };
    const below = { x: view.x, y: after.y, w: view.w, h: view.y + view.h - after.y };
    const spot = scan(right, occupied, size) ?? scan(below, occupied, size);
    if (spot) return spot;
  }
  return scan(view, occupied, size);
}

function scan(view: Rect, occupied: readonly Rect[], size: { w: number; h: number }): XY | null {
  const step = Math.max(8, Math.min(size.w, size.h) / 4);
  const maxX = view.x + view.w - size.w;
  const maxY = view.y + view.h - size.h;
  for (let y = view.y; y <= maxY + 1e-9; y += step) {
    for (let x = view.x; x <= maxX + 1e-9; x += step) {
      const box = { x, y, w: size.w, h: size.h };
      if (!occupied.some((o) => overlaps(box, o))) return { x, y };
    }
  }
  return null;
}

/**
 * A spot for a box when the view has no room: just right of everything on the canvas, level
 * with the view's top (the canvas then zooms out to show it with the rest).
 */
export function spotBeside(view: Rect, occupied: readonly Rect[]): XY {
  const right = occupied.reduce((m, o) => Math.max(m, o.x + o.w), Number.NEGATIVE_INFINITY);
  return { x: Number.isFinite(right) ? right + GAP_X : view.x, y: view.y };
}
