// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { tabbables, trapTab } from '../src/lib/focusTrap';

function mount(html: string): HTMLElement {
  const root = document.createElement('div');
  root.tabIndex = -1;
  root.innerHTML = html;
  document.body.append(root);
  return root;
}

function tab(root: HTMLElement, shiftKey = false) {
  const e = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true });
  const trapped = trapTab(root, e);
  return { trapped, prevented: e.defaultPrevented, focused: document.activeElement };
}

const byId = (id: string) => document.getElementById(id);

afterEach(() => {
  document.body.replaceChildren();
});

describe('focus trap', () => {
  it('lists what Tab reaches, in document order', () => {
    const root = mount(`
      <button id="a">a</button>
      <button id="off" disabled>off</button>
      <input id="hidden-input" type="hidden" />
      <a id="no-href">no link</a>
      <a id="link" href="https://example.com">link</a>
      <div id="minus" tabindex="-1">skip</div>
      <div id="zero" tabindex="0">zero</div>
      <div hidden><button id="in-hidden">x</button></div>
      <div inert><button id="in-inert">x</button></div>
      <fieldset disabled><input id="in-fieldset" /></fieldset>
      <input id="text" />
      <select id="sel"><option>1</option></select>
      <textarea id="area"></textarea>
    `);
    expect(tabbables(root).map((el) => el.id)).toEqual(['a', 'link', 'zero', 'text', 'sel', 'area']);
  });

  it('counts a radio group once: its checked button, else its first', () => {
    const root = mount(`
      <input type="radio" name="g" id="g1" /><input type="radio" name="g" id="g2" checked />
      <input type="radio" name="h" id="h1" /><input type="radio" name="h" id="h2" />
      <input type="radio" id="lone" />
    `);
    expect(tabbables(root).map((el) => el.id)).toEqual(['g2', 'h1', 'lone']);
  });

  it('Tab on the last element goes back to the first', () => {
    const root = mount('<button id="first">1</button><input id="mid" /><button id="last">3</button>');
    byId('last')!.focus();
    expect(tab(root)).toEqual({ trapped: true, prevented: true, focused: byId('first') });
  });

  it('Shift+Tab on the first element goes to the last', () => {
    const root = mount('<button id="first">1</button><input id="mid" /><button id="last">3</button>');
    byId('first')!.focus();
    expect(tab(root, true)).toEqual({ trapped: true, prevented: true, focused: byId('last') });
  });

  it('leaves Tab between two inside elements to the browser', () => {
    const root = mount('<button id="first">1</button><input id="mid" /><button id="last">3</button>');
    byId('first')!.focus();
    expect(tab(root)).toEqual({ trapped: false, prevented: false, focused: byId('first') });
    byId('last')!.focus();
    expect(tab(root, true)).toEqual({ trapped: false, prevented: false, focused: byId('last') });
  });

  it('from the dialog itself, Tab goes to the first element and Shift+Tab to the last', () => {
    const root = mount('<button id="first">1</button><button id="last">2</button>');
    root.focus();
    expect(tab(root).focused).toBe(byId('first'));
    root.focus();
    expect(tab(root, true).focused).toBe(byId('last'));
  });

  it('brings focus back from outside the dialog', () => {
    const outside = document.createElement('button');
    document.body.append(outside);
    const root = mount('<button id="first">1</button><button id="last">2</button>');
    outside.focus();
    expect(tab(root).focused).toBe(byId('first'));
    outside.focus();
    expect(tab(root, true).focused).toBe(byId('last'));
  });

  it('keeps focus on the dialog when nothing inside can take it', () => {
    const root = mount('<p>Nothing to press</p>');
    root.focus();
    expect(tab(root)).toEqual({ trapped: true, prevented: true, focused: root });
    expect(tab(root, true)).toEqual({ trapped: true, prevented: true, focused: root });
  });

  it('ignores other keys and Tab with a modifier', () => {
    const root = mount('<button id="only">1</button>');
    byId('only')!.focus();
    const other = new KeyboardEvent('keydown', { key: 'Enter', cancelable: true });
    expect(trapTab(root, other)).toBe(false);
    const ctrlTab = new KeyboardEvent('keydown', { key: 'Tab', ctrlKey: true, cancelable: true });
    expect(trapTab(root, ctrlTab)).toBe(false);
    expect(other.defaultPrevented || ctrlTab.defaultPrevented).toBe(false);
  });
});
