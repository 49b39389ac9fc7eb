import { expect, type Page } from '@playwright/test';

/** Collects console errors and page errors; `assertClean` fails on any not explicitly allowed. */
export function watchConsole(page: Page, allowed: RegExp[] = []) {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed.some((re) => re.test(msg.text()))) errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return {
    errors,
    assertClean() {
      expect(errors, 'console errors').toEqual([]);
    },
  };
}

export const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;
