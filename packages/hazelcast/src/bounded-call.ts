import { isSessionError, SessionDecodeError, StoreUnavailableError } from '@sess/core';
import { HazelcastSerializationError } from 'hazelcast-client';

/**
 * Runs one client call with a deadline and turns whatever goes wrong into a typed @sess error.
 *
 * The client retries an invocation while the cluster is unreachable until its own invocation timeout
 * (120 s by default), and with `reconnectMode: 'ASYNC'` fails fast with ClientOfflineError: either way
 * a request must not wait that long, so every call races a timer. The underlying invocation cannot be
 * cancelled: a write that timed out may still be applied later by the member.
 */
export async function boundedCall<T>(
  operation: string,
  timeoutMs: number,
  call: () => Promise<T>,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Promise.resolve().then turns a synchronous throw (the client asserts arguments eagerly) into a rejection.
  const pending = Promise.resolve().then(call);
  // The loser of the race must not surface later as an unhandled rejection.
  pending.catch(() => undefined);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new StoreUnavailableError(
          `Hazelcast ${operation} did not complete within ${timeoutMs} ms; the cluster may be unreachable ` +
            '(check the members and the client connection, or raise operationTimeoutMs)',
          { cause: new Error(`timed out after ${timeoutMs} ms`) },
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([pending, deadline]);
  } catch (error) {
    throw classify(operation, error);
  } finally {
    clearTimeout(timer);
  }
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
  if (isSessionError(error)) return error;
  if (isDeserializationError(error)) {
    return new SessionDecodeError(`Hazelcast ${operation} returned a value that cannot be deserialized`, {
      cause: error,
    });
  }
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StoreUnavailableError(
    `Hazelcast ${operation} failed (${reason}); retry when the cluster is back`,
    {
      cause: error,
    },
  );
}
