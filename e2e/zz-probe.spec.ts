import { EXAMPLES } from '@busboard/core';
import { test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => { app = await startApp(); });
test.afterAll(async () => { await app?.stop(); });

test('probe', async ({ page }) => {
  for (const [w, h] of [[1024, 768], [1440, 900]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const ex of EXAMPLES) {
      const { id } = await trpcSave(app.url, { name: ex.title, doc: ex.doc });
      await page.goto(`${app.url}/#/design/${id}`);
      await page.waitForTimeout(2000);
      const info = await page.evaluate(() => {
        const vp = document.querySelector('.react-flow__viewport') as HTMLElement | null;
        const m = /scale\(([\d.]+)\)/.exec(vp?.style.transform ?? '');
        const zoom = Number(m?.[1] ?? 1);
        const fs = [...document.querySelectorAll('.service-name')].map((e) => parseFloat(getComputedStyle(e).fontSize) * zoom);
        return { zoom, min: Math.min(...fs), max: Math.max(...fs) };
      });
      console.log(w, ex.id, JSON.stringify(info));
      await page.screenshot({ path: `/tmp/i16b-${w}-${ex.id}.png` });
    }
  }
});
