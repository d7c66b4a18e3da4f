import { describe, expect, it } from 'vitest';
import { isSessionError, SessionConfigError, SessionError, StoreUnavailableError } from '../src/index.js';

describe('errors', () => {
  it('carry a stable code, a name and the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new StoreUnavailableError('Redis is down', { cause });
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.name).toBe('StoreUnavailableError');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).not.toBeInstanceOf(SessionConfigError);
  });

  it('are recognised across duplicate installs of core by their global brand', () => {
    // An error made by "another copy" of @sess/core: a different class carrying the same brand.
    const foreign = Object.assign(new Error('from another copy'), { code: 'DECODE' });
    Object.defineProperty(foreign, Symbol.for('@sess/core/SessionError'), { value: true });
    expect(isSessionError(foreign)).toBe(true);
    expect(foreign instanceof SessionError).toBe(true);
    expect(isSessionError(new Error('plain'))).toBe(false);
    expect(isSessionError(null)).toBe(false);
  });
});
