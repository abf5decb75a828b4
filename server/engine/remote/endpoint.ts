/**
 * The remote endpoint URL: checked, stripped of credentials for display and for traces, and split
 * into the OpenAI API base (`…/v1`) and the server root (where vLLM and llama.cpp serve `/tokenize`).
 */
import { RemoteEngineError } from './errors';

export interface RemoteEndpoint {
  /** The API base without credentials, query or trailing slash, e.g. `http://host:8000/v1`. */
  base: string;
  /** The server root: the base without a trailing `/v1`, e.g. `http://host:8000`. */
  root: string;
  /** `user:password` from the URL, when it had one (sent as HTTP Basic auth, never shown). */
  userinfo: string | null;
}

/**
 * Parses an endpoint setting. Throws a RemoteEngineError ('settings') for anything that is not an
 * absolute http(s) URL; the message never repeats the URL's credentials.
 */
export function parseEndpoint(endpoint: string): RemoteEndpoint {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new RemoteEngineError(
      'settings',
      `The remote endpoint ${JSON.stringify(publicEndpoint(endpoint))} is not a URL; expected something like http://127.0.0.1:8000/v1`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemoteEngineError(
      'settings',
      `The remote endpoint must be an http:// or https:// URL, got ${url.protocol.replace(/:$/, '')}:`,
    );
  }
  const userinfo = url.username || url.password
    ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
    : null;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const base = url.toString().replace(/\/+$/, '');
  const root = base.replace(/\/v\d+$/, '');
  return { base, root, userinfo };
}

/**
 * The endpoint as it may be shown and recorded: credentials (userinfo), query and fragment removed.
 * Text that is not a URL comes back with anything before an `@` removed.
 */
export function publicEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint.trim());
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return endpoint.trim().replace(/^[^@/]*@/, '').replace(/\/\/[^@/]*@/, '//');
  }
}
