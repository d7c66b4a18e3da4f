import { createSessionRepository, type SessionStore, StoreUnavailableError } from '@sess/core';
import { describe, expect, it } from 'vitest';
import { createManualClock, fixtureErrorResponse, instrumentStore, waitFor } from '../src/index.js';

class TinyStore implements SessionStore {
  readonly name = 'tiny';
  readonly capabilities = {
    findByPrincipal: false,
    touch: false,
    changeId: false,
    events: false,
    cleanup: false,
  };
  #saved = 0; // private state: instrumented calls must keep `this` bound to the original
  async load() {
    return null;
  }
  async save() {
    this.#saved++;
    return true;
  }
  async delete() {
    return this.#saved > 0;
  }
}

describe('testkit helpers', () => {
  it('createManualClock moves only when told', () => {
    const clock = createManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    clock.set(10);
    expect(clock.now()).toBe(10);
  });

  it('instrumentStore counts calls, keeps private state working, and injects failures', async () => {
    const probe = instrumentStore(new TinyStore());
    const repository = createSessionRepository({ store: probe.store });
    const session = repository.createSession().set('a', 1);
    await repository.save(session);
    await repository.deleteById(session.id);
    expect(probe.calls.save).toBe(1);
    expect(probe.writes()).toBe(2);
    probe.failWith(new StoreUnavailableError('down'));
    await expect(repository.findById(session.id)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    probe.failWith(null);
    probe.reset();
    expect(probe.writes()).toBe(0);
  });

  it('waitFor is bounded', async () => {
    const started = Date.now();
    expect(await waitFor(() => false, 100, 10)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await waitFor(() => true, 100)).toBe(true);
  });

  it('fixtureErrorResponse maps typed errors to statuses', () => {
    expect(fixtureErrorResponse(new StoreUnavailableError('x')).status).toBe(503);
    expect(fixtureErrorResponse(new Error('x')).status).toBe(500);
  });
});
