import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  describeUnknownPlaceholders,
  normalizeColumnName,
  placeholderFor,
  renderMessage,
} from '../../shared/template';

const COLUMNS = ['Name', 'Phone', 'First  Name', 'City'];

function render(template: string, values: string[], columns: readonly string[] = COLUMNS) {
  const compiled = compileTemplate(template, columns);
  return { ...renderMessage(compiled, values), unknown: compiled.unknown };
}

describe('template rendering', () => {
  it('replaces $(name) by the row value of that column', () => {
    expect(render('Hi $(Name), call $(Phone).', ['Ann', '+14155552671', '', 'Paris'])).toEqual({
      text: 'Hi Ann, call +14155552671.',
      emptyPlaceholders: [],
      unknown: [],
    });
  });

  it('matches column names ignoring case, surrounding spaces and repeated inner spaces', () => {
    const values = ['Ann', '+1', 'Annie', 'Paris'];
    expect(render('$(name)|$( NAME )|$(cItY)', values).text).toBe('Ann|Ann|Paris');
    expect(render('Dear $( first   name ),', values).text).toBe('Dear Annie,');
    expect(render('Dear $(First Name),', values).text).toBe('Dear Annie,');
    expect(normalizeColumnName('  First \t  Name ')).toBe('first name');
  });

  it('uses the first of two columns whose names normalize alike', () => {
    expect(render('$(code)', ['first', 'second'], ['Code', ' code ']).text).toBe('first');
  });

  it('trims the value it inserts', () => {
    expect(render('[$(name)]', ['  Ann  ', '', '', '']).text).toBe('[Ann]');
  });

  it('uses the fallback only when the cell is empty or blank', () => {
    expect(render('Hi $(name|friend)!', ['Ann', '', '', '']).text).toBe('Hi Ann!');
    expect(render('Hi $(name|friend)!', ['', '', '', ''])).toEqual({
      text: 'Hi friend!',
      emptyPlaceholders: [],
      unknown: [],
    });
    expect(render('Hi $(name|friend)!', ['   ', '', '', '']).text).toBe('Hi friend!');
  });

  it('accepts an empty fallback as a deliberate empty value', () => {
    expect(render('Hi$(name|)!', ['', '', '', ''])).toEqual({
      text: 'Hi!',
      emptyPlaceholders: [],
      unknown: [],
    });
  });

  it('flags a placeholder whose cell is empty and has no fallback', () => {
    expect(render('Hi $(name), from $(city).', ['', '', '', ''])).toEqual({
      text: 'Hi , from .',
      emptyPlaceholders: ['name', 'city'],
      unknown: [],
    });
    expect(render('$(name) $(city)', ['Ann', '', '', ''], COLUMNS).emptyPlaceholders).toEqual(['city']);
  });

  it('reports unknown placeholders once each, in order, and leaves them in the text', () => {
    const result = render('Hi $(nmae), $(Surname) and $(nmae|x) in $(City)', ['Ann', '', '', 'Rome']);
    expect(result.unknown).toEqual(['nmae', 'Surname']);
    expect(result.text).toBe('Hi $(nmae), $(Surname) and $(nmae|x) in Rome');
    expect(result.emptyPlaceholders).toEqual([]);
  });

  it('leaves text without placeholders unchanged', () => {
    for (const text of [
      '',
      'Hello world',
      'Price: $5 (approx.) or $ (none) — see {{link_5}}',
      'Ünïcödé 😀 €',
    ]) {
      expect(render(text, ['Ann', '', '', ''])).toEqual({ text, emptyPlaceholders: [], unknown: [] });
    }
  });

  it('reports a placeholder left open or with nested brackets, which would otherwise go out as typed', () => {
    expect(compileTemplate('Hi $(name, welcome', ['name']).unknown).toEqual(['name, welcome']);
    expect(compileTemplate('Due $(a((b))) now', ['a((b))']).unknown).toEqual(['a((b']);
  });

  it('does not substitute placeholders that come from a cell value', () => {
    expect(render('Hi $(name)', ['$(phone)', '+14155552671', '', '']).text).toBe('Hi $(phone)');
  });

  it('treats a missing cell like an empty one', () => {
    expect(render('Hi $(city|there)', ['Ann']).text).toBe('Hi there');
  });

  it('describes unknown placeholders for the user', () => {
    expect(describeUnknownPlaceholders(['a', 'b'], COLUMNS)).toBe(
      'The message uses $(a), $(b), which are not columns of the recipient file.',
    );
    expect(describeUnknownPlaceholders(['coupon'], COLUMNS, 'The template parameter "code"')).toBe(
      'The template parameter "code" uses $(coupon), which is not a column of the recipient file.',
    );
  });

  it('suggests the column a mistyped placeholder most likely meant', () => {
    const columns = ['Given Name', 'Family Name', 'Mobile Phone', 'City', 'Loyalty tier (2024)'];
    expect(describeUnknownPlaceholders(['nmae'], ['Name', 'Phone'])).toBe(
      'The message uses $(nmae), which is not a column of the recipient file. Did you mean $(Name)?',
    );
    // Underscores, case and spaces are what exports disagree on most.
    expect(describeUnknownPlaceholders(['given_name'], columns)).toBe(
      'The message uses $(given_name), which is not a column of the recipient file. Did you mean $(Given Name)?',
    );
    expect(describeUnknownPlaceholders(['cty', 'famly name', 'coupon'], columns)).toBe(
      'The message uses $(cty), $(famly name), $(coupon), which are not columns of the recipient file. ' +
        'Did you mean $(City) for $(cty), $(Family Name) for $(famly name)?',
    );
    expect(describeUnknownPlaceholders(['loyaltytier2024'], columns)).toBe(
      'The message uses $(loyaltytier2024), which is not a column of the recipient file. Did you mean $(Loyalty tier (2024))?',
    );
    // Nothing near enough: no guess rather than a wrong one.
    expect(describeUnknownPlaceholders(['order'], columns)).toBe(
      'The message uses $(order), which is not a column of the recipient file.',
    );
  });
});

describe('placeholders for column names with brackets', () => {
  it('matches a column whose name holds balanced parentheses', () => {
    const compiled = compileTemplate('Due: $(Amount (USD)) by $(date|soon)', ['Amount (USD)', 'date']);
    expect(compiled.unknown).toEqual([]);
    expect(renderMessage(compiled, ['12.50', '']).text).toBe('Due: 12.50 by soon');
  });

  it('offers a placeholder for every column name that can be written as one', () => {
    expect(placeholderFor('Amount (USD)')).toBe('$(Amount (USD))');
    expect(placeholderFor(' first name ')).toBe('$(first name)');
    expect(placeholderFor('a|b')).toBeNull();
    expect(placeholderFor('odd)')).toBeNull();
  });
});
