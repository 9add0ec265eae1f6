/**
 * Guards at the door: which sites may open a websocket here, and how many wrong secrets an address
 * may try. Addresses are used in memory only, to count failures; they are never stored or logged.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * [SEC-ORIGIN] A browser's websocket from another site is refused (cross-site websocket hijacking):
 * the Origin must be the public URL's, whole (scheme, host and port), or the machine's own loopback
 * address (the laptop running Concerto, opened as localhost). The Host header is not trusted: a page
 * whose own name resolves to this server (DNS rebinding) still shows its own name as its Origin.
 * Clients that are not browsers send no Origin; there is nothing to check.
 */
export function originAllowed(origin: string | undefined, publicUrl: string): boolean {
  if (origin === undefined) return true;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false;
  }
  if (from.origin === new URL(publicUrl).origin) return true;
  return (from.protocol === 'http:' || from.protocol === 'https:') && LOOPBACK.test(from.hostname);
}

/**
 * [HR-PROXY] The address a request came from, for counting failures: the connection's own, or, behind
 * `hops` trusted reverse proxies, the one the outermost of them saw (X-Forwarded-For, read from the
 * right, since anything to the left of the proxies' own entries can be written by the client).
 */
export function clientAddress(remote: string | undefined, forwardedFor: string | string[] | undefined, hops = 0): string {
  const own = remote ?? '';
  if (hops <= 0 || forwardedFor === undefined) return own;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const addresses = [...chain, own];
  return addresses[Math.max(0, addresses.length - 1 - hops)] ?? own;
}

/** Free failures per address in the window, then one refusal answered per interval. */
export const GUESSES = {
  code: { free: 30, windowSeconds: 300, intervalMs: 2000 },
  secret: { free: 100, windowSeconds: 300, intervalMs: 500 },
  /** A refusal that would wait longer than this is answered `rate_limited` at once instead. */
  maxWaitMs: 20_000,
} as const;

export type GuessVerdict = 'answer' | 'rate_limited';

/**
 * [SEC-GUESS] Failed guesses per address: join codes (6 characters, so worth guessing) and secret
 * links (128 bits, hopeless, limited anyway). A valid code or secret is never refused or slowed:
 * only failures are counted. Past the free ones, an address's refusals are answered one per
 * interval, whatever number of connections it opens, so guessing is slowed to a crawl while a
 * venue sharing that address (or a proxy) is never locked out.
 */
export class GuessLimiter {
  readonly #counts = {
    code: new RateLimiterMemory({ points: GUESSES.code.free, duration: GUESSES.code.windowSeconds }),
    secret: new RateLimiterMemory({ points: GUESSES.secret.free, duration: GUESSES.secret.windowSeconds }),
  };
  /** When each slowed address's next refusal may be answered. */
  readonly #next = { code: new Map<string, number>(), secret: new Map<string, number>() };

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Records a failed guess and resolves when its refusal may be answered: at once while the address
   * has free failures, then in turn. `rate_limited` when the turn is too far away to wait for.
   */
  async failed(kind: 'code' | 'secret', address: string): Promise<GuessVerdict> {
    const free = await this.#counts[kind].consume(address).then(
      () => true,
      () => false,
    );
    if (free) return 'answer';
    const next = this.#next[kind];
    const now = this.now();
    if (next.size > 10_000) for (const [a, at] of next) if (at < now) next.delete(a);
    const at = Math.max(now, next.get(address) ?? 0);
    if (at - now > GUESSES.maxWaitMs) return 'rate_limited';
    next.set(address, at + GUESSES[kind].intervalMs);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
    return 'answer';
  }
}
