/**
 * Guards at the door: which sites may open a websocket here, and how many wrong secrets an address
 * may try. Addresses are used in memory only, to count failures; they are never stored or logged.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * [SEC-ORIGIN] A browser's websocket from another site is refused (cross-site websocket hijacking):
 * the Origin must be the public URL's, or the address the request came to (same origin, e.g. the
 * laptop's own localhost). Clients that are not browsers send no Origin; there is nothing to check.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (origin === undefined) return true;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false;
  }
  if (from.origin === new URL(publicUrl).origin) return true;
  return host !== undefined && from.host === host.toLowerCase();
}

/**
 * [SEC-GUESS] Failed guesses per address: join codes (6 characters, so worth guessing) and secret
 * links (128 bits, hopeless, limited anyway). A whole venue can share one address, so only failures
 * count, and generously: people mistyping a code are far below these limits.
 */
export class GuessLimiter {
  readonly #codes = new RateLimiterMemory({ points: 60, duration: 300 });
  readonly #secrets = new RateLimiterMemory({ points: 300, duration: 300 });

  #of(kind: 'code' | 'secret'): RateLimiterMemory {
    return kind === 'code' ? this.#codes : this.#secrets;
  }

  /** Whether this address has used up its failures of this kind. */
  async blocked(kind: 'code' | 'secret', address: string): Promise<boolean> {
    const limiter = this.#of(kind);
    const state = await limiter.get(address);
    return state !== null && state.consumedPoints >= limiter.points;
  }

  async failed(kind: 'code' | 'secret', address: string): Promise<void> {
    await this.#of(kind)
      .consume(address)
      .catch(() => undefined);
  }
}
