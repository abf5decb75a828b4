import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, createNonce, escapeHtml } from '../../../extension/webview/htmlTemplate';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123',
  title: 'Trace <b>"x"</b>',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/out/webview/trace.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/out/webview/codicons/codicon.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/out/webview/trace.css'],
};

describe('buildWebviewHtml', () => {
  test('the CSP allows nothing by default, scripts by nonce only, and local styles, fonts and images', () => {
    assert.equal(
      contentSecurityPolicy(parts.cspSource, 'N'),
      `default-src 'none'; script-src 'nonce-N'; style-src ${parts.cspSource} 'nonce-N'; font-src ${parts.cspSource}; img-src ${parts.cspSource} data:`,
    );
    const html = buildWebviewHtml(parts);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-abc123&#39;;/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  test('every script carries the nonce and there is no inline script or style', () => {
    const html = buildWebviewHtml(parts);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], /nonce="abc123"/);
    assert.equal(scripts[0][2].trim(), '', 'no inline script code');
    assert.doesNotMatch(html, /<style/);
    assert.doesNotMatch(html, / style=/);
    assert.match(html, /<meta property="csp-nonce" content="abc123">/);
  });

  test('no remote content: every URL is the webview resource origin', () => {
    const html = buildWebviewHtml(parts);
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.ok(url.startsWith(`${parts.cspSource}/`), url);
  });

  test('the title is escaped', () => {
    const html = buildWebviewHtml(parts);
    assert.match(html, /<title>Trace &lt;b&gt;&quot;x&quot;&lt;\/b&gt;<\/title>/);
    assert.equal(escapeHtml(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  test('nonces are fresh, long and URL-safe', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const nonce = createNonce();
      assert.match(nonce, /^[A-Za-z0-9_-]{32}$/);
      seen.add(nonce);
    }
    assert.equal(seen.size, 200);
  });
});
