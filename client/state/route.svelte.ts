import { normalizeJoinCode } from '../../shared/domain/joinCode.ts';

export type Route =
  | { name: 'home' }
  | { name: 'create' }
  | { name: 'join'; code: string }
  | { name: 'console'; token: string }
  | { name: 'projector'; token: string }
  | { name: 'faq'; faqId: string }
  | { name: 'notFound' };

function parse(pathname: string, hash: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  // Secret tokens live in the fragment: browsers never send it, so it stays out of server logs.
  const token = decodeURIComponent(hash.replace(/^#/, ''));
  if (path === '/') return { name: 'home' };
  if (path === '/new') return { name: 'create' };
  if (path === '/console') return { name: 'console', token };
  if (path === '/projector') return { name: 'projector', token };
  const faq = /^\/faq\/([A-Za-z0-9_-]{8,64})$/.exec(path);
  if (faq?.[1]) return { name: 'faq', faqId: faq[1] };
  const join = /^\/j\/([^/]+)$/.exec(path);
  if (join?.[1]) return { name: 'join', code: normalizeJoinCode(decodeURIComponent(join[1])) };
  return { name: 'notFound' };
}

/** The page shown, from location; `navigate` is the only way screens move between pages. */
class Router {
  route = $state<Route>(parse(location.pathname, location.hash));

  constructor() {
    window.addEventListener('popstate', () => this.#sync());
    window.addEventListener('hashchange', () => this.#sync());
  }

  navigate(to: string, opts: { replace?: boolean } = {}): void {
    if (opts.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.#sync();
    window.scrollTo(0, 0);
  }

  #sync(): void {
    this.route = parse(location.pathname, location.hash);
  }
}

export const router = new Router();
