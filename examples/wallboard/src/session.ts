// The access token lives in sessionStorage: it survives a reload of this tab and goes with it.

const KEY = 'stats-gateway.token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);

export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, token);
}

/** In demo mode the gateway names its demo token in the page (a meta tag, not a script). */
export const demoToken = (): string | null =>
  document.querySelector<HTMLMetaElement>('meta[name="demo-token"]')?.content ?? null;
