/**
 * Cost per month in the Results panel (issue 20): the checkout example under the default preset
 * (AWS us-east-1, list prices as of 2024-06), a vCPU price changed in the price book moves the
 * total by the amount worked out below, each line explains its formula, undo brings the total
 * back, and another preset prices the same design with its own figures.
 *
 * By hand: edge and payments 3 replicas × (1 vCPU × 0.03125 + 0.25 GiB × 0.00419) × 730 = 70.731525
 * each; shop 6 × (2 × 0.03125 + 0.5 × 0.00419) × 730 = 282.9261; NATS 1 × 3 zones × 0.096 × 730 =
 * 210.24; no call crosses a zone (locality): total 634.62915 → $634.63. The replicas hold
 * 3 × 1 + 6 × 2 + 3 × 1 = 18 vCPU, so a vCPU-hour of $0.05 instead of $0.03125 adds
 * 18 × 0.01875 × 730 = 246.375 → $881.00.
 */
import { EXAMPLES } from '@busboard/core';
import { expect, type Page, test } from '@playwright/test';
import { type RunningApp, startApp } from './support/app.ts';
import { watchConsole } from './support/console.ts';
import { trpcSave } from './support/designer.ts';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

const SHOTS = '/tmp/cost-shots/';
const checkout = EXAMPLES.find((e) => e.id === 'checkout')?.doc;
const usd = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function shots(page: Page, name: string) {
  const section = page.getByTestId('cost');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}${name}-light.png` });
  await page.getByTestId('theme-toggle').click();
  await page.screenshot({ path: `${SHOTS}${name}-dark.png` });
  await page.getByTestId('theme-toggle').click();
}

test('the monthly cost, a price changed and undone, each line’s formula, another preset', async ({ page }) => {
  test.setTimeout(60_000);
  if (!checkout) throw new Error('no checkout example');
  const consoleWatch = watchConsole(page);
  const { id } = await trpcSave(app.url, { name: 'Cost', doc: checkout });
  await page.goto(`${app.url}/#/design/${id}`);
  await page.getByTestId('tab-results').click();

  const total = page.getByTestId('cost-total');
  const before = 2 * 70.731525 + 282.9261 + 210.24;
  await expect(total).toHaveText(usd(before));
  await expect(total).toHaveText('$634.63');
  await expect(page.getByTestId('cost-notice')).toHaveText('AWS us-east-1: list prices as of 2024-06; check your provider');
  await expect(page.getByTestId('cost-amount-bundle-shop')).toHaveText('$282.93');
  await expect(page.getByTestId('cost-amount-nats-nats')).toHaveText('$210.24');
  await page.getByTestId('cost-explain-bundle-shop').click();
  await expect(page.getByTestId('cost-formula-bundle-shop')).toContainText('6 replicas × (2 vCPU × $0.03125/h + 0.5 GiB × $0.00419/h) × 730 h');
  await shots(page, '1-results');

  // A vCPU-hour of $0.05: 18 vCPU × (0.05 − 0.03125) × 730 h more.
  await page.getByTestId('price-book').locator('summary').click();
  await expect(page.getByTestId('cost-field-vcpuHour')).toHaveAttribute('placeholder', '0.03125');
  await page.getByTestId('cost-field-vcpuHour').fill('0.05');
  const after = before + 18 * (0.05 - 0.03125) * 730;
  await expect(total).toHaveText(usd(after));
  await expect(total).toHaveText('$881.00');
  await expect(page.getByTestId('cost-formula-bundle-shop')).toContainText('2 vCPU × $0.05/h');
  await expect(page.getByTestId('cost-notice')).toContainText('this design sets vcpuHour');
  await page.getByTestId('price-book').scrollIntoViewIfNeeded();
  await shots(page, '2-price-book');

  // A negative price is refused with its path; the total keeps the last valid price.
  await page.getByTestId('cost-field-vcpuHour').fill('-1');
  await expect(page.getByRole('alert').filter({ hasText: 'cost.vcpuHour' })).toContainText('a price per vCPU-hour: 0 or more');
  await expect(total).toHaveText('$881.00');

  // Undo (one step: typing coalesces) brings the preset's price back.
  await page.getByTestId('cost-total').click();
  await page.keyboard.press('Control+z');
  await expect(total).toHaveText('$634.63');
  await expect(page.getByTestId('cost-field-vcpuHour')).toHaveValue('');

  // GCP us-central1: edge and payments 3 × (0.031611 + 0.25 × 0.004237) × 730 = 71.5478475 each;
  // shop 6 × (2 × 0.031611 + 0.5 × 0.004237) × 730 = 286.19139; NATS 3 × 0.097118 × 730 = 212.68842.
  await page.getByTestId('cost-preset').selectOption('gcp-us-central1');
  await expect(total).toHaveText(usd(2 * 71.5478475 + 286.19139 + 212.68842));
  await expect(page.getByTestId('cost-notice')).toContainText('GCP us-central1: list prices as of 2024-06; check your provider');
  consoleWatch.assertClean();
});

test('a design with a JetStream stream and core-NATS subscribers: storage, stream and event cross-zone bytes are lines of their own', async ({
  page,
}) => {
  const orders = EXAMPLES.find((e) => e.id === 'orders-events')?.doc;
  if (!orders) throw new Error('no orders-events example');
  const { id } = await trpcSave(app.url, { name: 'Cost with streams', doc: orders });
  await page.goto(`${app.url}/#/design/${id}`);
  await page.getByTestId('tab-results').click();
  // The cheap part by hand: NATS 1 server × 3 zones × 0.096 × 730 = 210.24; shards unpriced.
  await expect(page.getByTestId('cost-amount-nats-nats')).toHaveText('$210.24');
  await expect(page.getByTestId('cost-amount-database-orders')).toHaveText('not priced');
  await expect(page.getByTestId('cost-line-storage-ORDERS')).toBeVisible();
  await page.getByTestId('cost-explain-storage-ORDERS').click();
  await expect(page.getByTestId('cost-formula-storage-ORDERS')).toContainText('GB steady × 3 replicas × $0.08/GB-month');
  await expect(page.getByTestId('cost-split')).toContainText('storage $');
  // email.example's queue group (1 replica per zone) gets one copy of each of the 400 orders/s
  // published evenly from the 3 zones: 2 in 3 land in another zone. 400 × 2/3 × 1024 B =
  // 273,066.67 B/s × 2,628,000 s ÷ 10⁹ = 717.6192 GB × $0.02 = 14.352384 → $14.35.
  await expect(page.getByTestId('cost-amount-event-cross-zone-email.example')).toHaveText('$14.35');
  await page.getByTestId('cost-explain-event-cross-zone-email.example').click();
  await expect(page.getByTestId('cost-formula-event-cross-zone-email.example')).toContainText('273,067 B/s × 2,628,000 s');
  await expect(page.getByTestId('cost-formula-event-cross-zone-email.example')).toContainText('events on orders.created (400 copies/s)');
  await shots(page, '3-streams');
});
