// ChoiceSelect renders a table of choices as options in the table's order, marks the current one, passes
// other select attributes through, and hands the chosen key back to onChange.
import type { ChangeEvent, ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChoiceSelect } from '../../src/components/ChoiceSelect';

const KEEP = { outside: 'Outside the box', inside: 'Inside the box' } as const;

describe('ChoiceSelect', () => {
  it('lists the choices in table order with the current one selected', () => {
    const html = renderToStaticMarkup(
      <ChoiceSelect aria-label="Keep region" disabled choices={KEEP} value="inside" onChange={() => {}} />,
    );
    expect(html).toBe(
      '<select aria-label="Keep region" disabled="">' +
        '<option value="outside">Outside the box</option>' +
        '<option value="inside" selected="">Inside the box</option></select>',
    );
  });

  it('keeps the order of [value, label] pairs, integer-like values included', () => {
    const html = renderToStaticMarkup(
      <ChoiceSelect
        choices={[
          ['svg-mini', 'svg-mini'],
          ['2', 'set 2'],
        ]}
        value="2"
        onChange={() => {}}
      />,
    );
    expect(html).toBe(
      '<select><option value="svg-mini">svg-mini</option>' +
        '<option value="2" selected="">set 2</option></select>',
    );
  });

  it('reports the chosen key', () => {
    const chosen: string[] = [];
    // A function component without hooks: its element's handler can be called directly (no DOM here).
    const select = ChoiceSelect({
      choices: KEEP,
      value: 'outside',
      onChange: (k) => chosen.push(k),
    }) as ReactElement<{
      onChange: (event: ChangeEvent<HTMLSelectElement>) => void;
    }>;
    select.props.onChange({ target: { value: 'inside' } } as ChangeEvent<HTMLSelectElement>);
    expect(chosen).toEqual(['inside']);
  });
});
