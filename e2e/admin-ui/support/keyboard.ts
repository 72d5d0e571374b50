import type { Page } from 'playwright-core';

export interface Focused {
  /** The focused element's label (its <label>, aria-label or text). */
  name: string;
  tag: string;
  /** Whether a focus ring is drawn (outline of some width, not "none"). */
  ringVisible: boolean;
}

/** What has the keyboard focus now, and whether a person can see it. */
export function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const el = doc.activeElement;
    if (!el || el === doc.body) return { name: '', tag: 'body', ringVisible: false };
    const label = el.id ? doc.querySelector(`label[for="${(globalThis as any).CSS.escape(el.id)}"]`) : null;
    const name = (label?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
    const style = (globalThis as any).getComputedStyle(el);
    const ringVisible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return { name, tag: el.tagName.toLowerCase(), ringVisible };
  });
}

/**
 * Presses Tab (only Tab) until the element named `name` has the focus, and returns every stop on
 * the way. Fails when it is not reached within `max` presses: not reachable by keyboard, or a trap.
 */
export async function tabTo(page: Page, name: string, max = 30): Promise<Focused[]> {
  const stops: Focused[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    stops.push(f);
    if (f.name === name) return stops;
  }
  throw new Error(`"${name}" not reached with ${max} Tabs; stops: ${stops.map((s) => `${s.tag}:${s.name}`).join(' | ')}`);
}
