/** Helpers for designer journeys: create designs over tRPC, find nodes, connect handles. */
import { expect, type Page } from '@playwright/test';

export async function trpcSave(url: string, input: { id?: string; name: string; doc: unknown; expectedRevision?: number }) {
  const res = await fetch(`${url}/trpc/designs.save`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-busboard-request': '1' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: { id: string; revision: number } }; error?: unknown };
  if (!body.result) throw new Error(`save failed: ${JSON.stringify(body.error)}`);
  return body.result.data;
}

export async function trpcGet(url: string, id: string) {
  const res = await fetch(`${url}/trpc/designs.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, { headers: { 'x-busboard-request': '1' } });
  return ((await res.json()) as { result: { data: { doc: Record<string, unknown>; revision: number } } }).result.data;
}

/** Drags from a service's outgoing handle to another node's incoming handle. */
export async function connect(page: Page, fromTestId: string, toTestId: string) {
  const from = page.getByTestId(fromTestId).locator('.react-flow__handle.source');
  const to = page.getByTestId(toTestId).locator('.react-flow__handle.target');
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handles not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Renames whatever the inspector shows through its name field. */
export async function renameSelected(page: Page, testId: string, name: string) {
  const field = page.getByTestId(testId);
  await field.fill(name);
  await field.press('Enter');
  await expect(field).toHaveValue(name);
}

/**
 * Clicks a toolbar tool by its name, opening the "More" menu first when the window is narrow
 * enough to fold it there (below 1280 px).
 */
export async function clickTool(page: Page, name: string | RegExp) {
  const button = page.locator('.toolbar').getByRole('button', { name, exact: typeof name === 'string' });
  if (!(await button.isVisible())) await page.getByTestId('toolbar-more').click();
  await button.click();
}
