import type { Page } from '@playwright/test';

/*
 * Layout checks run in the page (issue 11 deliverable 5): what overflows its
 * box, and which controls a toast covers. Expressions, not functions, because
 * page.evaluate with a function is compiled with eval, which the app's CSP forbids.
 */

export interface Overflow {
  element: string;
  scrollWidth: number;
  clientWidth: number;
  text: string;
}

/**
 * Every visible element whose content is wider than its box — clipped (overflow
 * hidden), spilling over its neighbours (visible) or hidden behind a sideways
 * scroll nobody asked for — except text cut on purpose with an ellipsis (the
 * full text is in its title) and boxes marked `data-scrolls-sideways` (built to).
 */
export async function overflowingElements(page: Page): Promise<Overflow[]> {
  return page.evaluate<Overflow[]>(`(() => {
    const describe = (el) => {
      const id = el.id ? '#' + el.id : '';
      const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      const testId = el.getAttribute('data-testid') ? '[data-testid=' + el.getAttribute('data-testid') + ']' : '';
      return el.tagName.toLowerCase() + id + cls + testId;
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (!(el instanceof HTMLElement) || el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
      // clientWidth ≤ 1: visually hidden on purpose (.sr-only, for screen readers).
      if (el.clientWidth <= 1 || el.scrollWidth <= el.clientWidth + 1) continue;
      const style = getComputedStyle(el);
      if (el.hasAttribute('data-scrolls-sideways')) continue;
      if (style.textOverflow === 'ellipsis') continue;
      if (el.closest('[aria-hidden="true"], dialog:not([open])')) continue;
      out.push({ element: describe(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, text: (el.innerText || '').slice(0, 60) });
    }
    return out;
  })()`);
}

export interface Intersection {
  toast: string;
  control: string;
}

/** Toasts whose box meets the box of any visible control (button, link, input, select, textarea). */
export async function toastsOverControls(page: Page): Promise<Intersection[]> {
  return page.evaluate<Intersection[]>(`(() => {
    const visible = (r) => r.width > 0 && r.height > 0;
    const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const toasts = [...document.querySelectorAll('.toast')];
    const controls = [...document.querySelectorAll('button, a[href], input, select, textarea, [role="button"]')]
      .filter((c) => !c.closest('.toast'));
    const out = [];
    for (const t of toasts) {
      const tr = t.getBoundingClientRect();
      if (!visible(tr)) continue;
      for (const c of controls) {
        const cr = c.getBoundingClientRect();
        if (visible(cr) && meets(tr, cr)) out.push({ toast: t.innerText.slice(0, 60), control: (c.getAttribute('aria-label') || c.innerText || c.tagName).slice(0, 40) });
      }
    }
    return out;
  })()`);
}
