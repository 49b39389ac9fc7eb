import { describe, expect, it } from 'vitest';
import { freeSpotInView, GAP_X, MARGIN, type Rect, spotBeside } from './placement.ts';

const size = { w: 244, h: 112 };
const inside = (r: Rect, view: Rect) => r.x >= view.x && r.y >= view.y && r.x + r.w <= view.x + view.w && r.y + r.h <= view.y + view.h;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('palette placement in free space within the view', () => {
  const view = { x: 100, y: 50, w: 1000, h: 600 };

  it("an empty view: the box lands at the view's top-left corner", () => {
    expect(freeSpotInView(view, [], size)).toEqual({ x: 100, y: 50 });
  });

  it('fills the view in reading order: right of the first box, then the next row', () => {
    const first = { x: 100, y: 50, ...size };
    const second = freeSpotInView(view, [first], size);
    expect(second?.y).toBe(50);
    expect(second?.x).toBeGreaterThanOrEqual(100 + size.w + GAP_X);
    const row = [0, 1, 2].map((i) => ({ x: 100 + i * 330, y: 50, ...size }));
    const next = freeSpotInView(view, row, size);
    expect(next?.y).toBeGreaterThanOrEqual(50 + size.h + MARGIN);
  });

  it('looks right of the thing just worked on first', () => {
    const lb = { x: 500, y: 300, ...size };
    const next = freeSpotInView(view, [lb], size, { x: 500 + size.w, y: 300 });
    expect(next?.y).toBe(300);
    expect(next?.x).toBeGreaterThanOrEqual(500 + size.w + GAP_X);
    expect(next?.x).toBeLessThan(500 + size.w + GAP_X + size.h / 4);
    // No room to its right: the rows from its top down, then anywhere in view.
    expect(freeSpotInView(view, [{ x: 850, y: 300, ...size }], size, { x: 850 + size.w, y: 300 })).toEqual({ x: 100, y: 300 });
    expect(freeSpotInView(view, [{ x: 100, y: 500, w: 1000, h: 150 }], size, { x: 1100, y: 500 })).toEqual({ x: 100, y: 50 });
  });

  it('adds eight boxes one after another around an existing node: each wholly in view, none overlapping another', () => {
    const placed: Rect[] = [{ x: 350, y: 200, w: 300, h: 200 }];
    for (let i = 0; i < 8; i++) {
      const p = freeSpotInView(view, placed, size);
      expect(p, `box ${i + 1}`).not.toBeNull();
      if (!p) return;
      const box = { ...p, ...size };
      expect(inside(box, view)).toBe(true);
      for (const o of placed) expect(overlap(box, o)).toBe(false);
      placed.push(box);
    }
  });

  it('says so when the view is full or too small, and the fallback lands right of everything', () => {
    const full = [{ x: 0, y: 0, w: 2000, h: 2000 }];
    expect(freeSpotInView(view, full, size)).toBeNull();
    expect(freeSpotInView({ x: 0, y: 0, w: 200, h: 600 }, [], size)).toBeNull();
    expect(spotBeside(view, full)).toEqual({ x: 2000 + GAP_X, y: 50 });
    expect(spotBeside(view, [])).toEqual({ x: 100, y: 50 });
  });
});
