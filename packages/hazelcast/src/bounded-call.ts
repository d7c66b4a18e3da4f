import { translateStoreError, withDeadline } from '@sess/core/store';
import { HazelcastSerializationError } from 'hazelcast-client';

/**
 * Runs one client call with a deadline (core's withDeadline) and turns whatever goes wrong into a
 * typed @sess error.
 *
 * The client retries an invocation while the cluster is unreachable until its own invocation timeout
 * (120 s by default), and with `reconnectMode: 'ASYNC'` fails fast with ClientOfflineError: either way
 * a request must not wait that long. The underlying invocation cannot be cancelled: a write that timed
 * out may still be applied later by the member.
 */
export function boundedCall<T>(operation: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  return withDeadline(
    { store: 'hazelcast', operation, timeoutMs, classify: (error) => classify(operation, error) },
    call,
  );
}

/**
 * True for errors the client throws while turning a stored value back into a JS value: a JSON string
 * that does not parse (eager JSON policy), a type id it has no serializer for (RangeError), or its own
 * serialization error. These mean "unreadable entry", not "cluster down".
 */
export function isDeserializationError(error: unknown): boolean {
  return (
    error instanceof SyntaxError ||
    error instanceof RangeError ||
    error instanceof HazelcastSerializationError ||
    (error instanceof Error && error.name === 'HazelcastSerializationError')
  );
}

function classify(operation: string, error: unknown): Error {
  return translateStoreError('hazelcast', operation, error, {
    isDecode: isDeserializationError,
    advice: () => 'retry when the cluster is back (check the members and the client connection)',
  });
}
