/**
 * The HTML page of a ThinkScope webview, as a pure function of its parts (no `vscode` import, so
 * tests and the webview test harness build the very same page). Strict Content-Security-Policy:
 * nothing loads by default; scripts only with the page's nonce; styles, fonts and images only
 * from the webview's own resource origin; no remote content.
 */

/** What a webview page is made of. */
export interface WebviewHtmlParts {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  /** A fresh random value for this page (see createNonce). */
  nonce: string;
  /** The page title (text; it is escaped). */
  title: string;
  /** URI of the app's script bundle. */
  scriptUri: string;
  /** URIs of the stylesheets, in order (codicons first, then the app's). */
  styleUris: readonly string[];
}

/** The Content-Security-Policy of a webview page. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/** A random nonce: 32 characters of base64url from the platform's cryptographic generator. */
export function createNonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_');
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The complete page. The app mounts itself on `<div id="app">`. The `csp-nonce` meta tag hands
 * the nonce to the toolkit's runtime, which probes for :focus-visible with a <style> element.
 */
export function buildWebviewHtml(parts: WebviewHtmlParts): string {
  const nonce = escapeHtml(parts.nonce);
  const styles = parts.styleUris
    .map((uri) => `    <link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(uri)}">`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta property="csp-nonce" content="${nonce}">
    <title>${escapeHtml(parts.title)}</title>
${styles}
  </head>
  <body>
    <div id="app"></div>
    <script nonce="${nonce}" src="${escapeHtml(parts.scriptUri)}"></script>
  </body>
</html>
`;
}
