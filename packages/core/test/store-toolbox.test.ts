import { describe, expect, it } from 'vitest';
import { isSessionError, SessionConfigError } from '../src/index.js';
import { StoreOptionReader, translateStoreError, withDeadline } from '../src/store/index.js';

describe('@sess/core/store', () => {
  it('withDeadline: a call that does not answer in time fails with STORE_UNAVAILABLE and a cause', async () => {
    const hung = withDeadline({ store: 'x', operation: 'load', timeoutMs: 20 }, () => new Promise(() => {}));
    const error = await hung.catch((e: unknown) => e);
    expect(isSessionError(error) && error.code).toBe('STORE_UNAVAILABLE');
    expect((error as Error).message).toMatch(/x load did not complete within 20 ms \(operationTimeoutMs\)/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('withDeadline: a synchronous throw and a rejection are translated; a value passes', async () => {
    const thrown = await withDeadline({ store: 'x', operation: 'save', timeoutMs: 1000 }, () => {
      throw new Error('socket closed');
    }).catch((e: unknown) => e);
    expect(isSessionError(thrown) && thrown.code).toBe('STORE_UNAVAILABLE');
    expect((thrown as Error).cause).toEqual(new Error('socket closed'));
    expect(await withDeadline({ store: 'x', operation: 'load', timeoutMs: 1000 }, async () => 7)).toBe(7);
  });

  it('translateStoreError: decode and conflict kinds, advice, and @sess errors untouched', () => {
    const kinds = { isDecode: (e: unknown) => String(e).includes('WRONGTYPE'), isConflict: () => false };
    expect(translateStoreError('x', 'load', new Error('WRONGTYPE'), kinds)).toMatchObject({ code: 'DECODE' });
    expect(translateStoreError('x', 'save', new Error('dup'), { isConflict: () => true })).toMatchObject({
      code: 'CONFLICT',
    });
    const config = new SessionConfigError('bad');
    expect(translateStoreError('x', 'load', config)).toBe(config);
    expect(translateStoreError('x', 'load', new Error('down'), { advice: () => 'check it' }).message).toBe(
      'x load failed: down. check it',
    );
  });

  it('StoreOptionReader: bad options fail with SessionConfigError naming the store and option', () => {
    const read = new StoreOptionReader('x');
    expect(read.positiveMs('operationTimeoutMs', undefined, 2000)).toBe(2000);
    expect(() => read.positiveMs('operationTimeoutMs', -1, 2000)).toThrow(/x store: operationTimeoutMs/);
    expect(() => read.positiveInteger('batch', 2.5, 1)).toThrow(SessionConfigError);
    expect(() => read.required('client', undefined)).toThrow(/client is required/);
    expect(() => read.clock({} as never, { now: () => 0 })).toThrow(/clock/);
  });
});
