/**
 * Stands in for Node's AsyncLocalStorage in the browser bundle. The SDK uses it to pass write
 * options down a transaction's sending; the page is read-only and sends nothing, so a store that
 * runs the callback without context is enough.
 */
export class AsyncLocalStorage<T> {
  getStore(): T | undefined {
    return undefined;
  }

  run<R>(_store: T, callback: () => R): R {
    return callback();
  }
}
