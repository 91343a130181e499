/**
 * Retries a Redis write with capped exponential backoff (about 10 s in all): an outcome is worth
 * waiting for through a short Redis outage. Past that the caller gives up and lease recovery
 * takes over, so nothing is lost either way.
 */
export async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  let delay = 100;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}
