/** Screenshots of the main screens into test-results/screens/ (the best are copied to docs/screens/). */
import type { Page } from '@playwright/test';

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}
