import { describe, expect, it } from 'vitest';
import { ListenerSet } from '../src/store/index.js';

describe('ListenerSet', () => {
  it('keeps each add() its own subscription and isolates a throwing listener', () => {
    const errors: unknown[] = [];
    const set = new ListenerSet<number>((error) => errors.push(error));
    const seen: number[] = [];
    const record = (n: number) => seen.push(n);
    const first = set.add(record);
    set.add(record);
    set.add(() => {
      throw new Error('listener bug');
    });
    set.emit(1);
    expect(seen).toEqual([1, 1]);
    expect(errors).toHaveLength(1);
    first();
    set.emit(2);
    expect(seen).toEqual([1, 1, 2]);
    expect(set.size).toBe(2);
    set.clear();
    set.emit(3);
    expect(seen).toEqual([1, 1, 2]);
  });
});
