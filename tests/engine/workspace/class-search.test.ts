import { describe, expect, it } from 'vitest';
import { randomClassId, searchClasses } from '../../../src/engine/workspace/class-search';

const NAMES = [
  'tench',
  'goldfish',
  'great white shark',
  'golden retriever',
  'shark ray',
  'Labrador retriever',
];

describe('searchClasses', () => {
  it('finds a class by its exact id', () => {
    expect(searchClasses(NAMES, '3')).toEqual([{ id: 3, name: 'golden retriever' }]);
  });
  it('ranks name prefixes before word prefixes before substrings, case-insensitively', () => {
    expect(searchClasses(NAMES, 'Shark').map((m) => m.id)).toEqual([4, 2]);
    expect(searchClasses(NAMES, 'retr').map((m) => m.id)).toEqual([3, 5]);
    expect(searchClasses(NAMES, 'old').map((m) => m.id)).toEqual([1, 3]);
  });
  it('lists everything for an empty query, up to the limit', () => {
    expect(searchClasses(NAMES, '  ')).toHaveLength(6);
    expect(searchClasses(NAMES, '', 2)).toHaveLength(2);
  });
  it('returns nothing for an unknown id or name', () => {
    expect(searchClasses(NAMES, '99')).toEqual([]);
    expect(searchClasses(NAMES, 'zebra')).toEqual([]);
  });
});

describe('randomClassId', () => {
  it('stays in range at both ends of the random number', () => {
    expect(randomClassId(10, () => 0)).toBe(0);
    expect(randomClassId(10, () => 0.9999999)).toBe(9);
  });
});
