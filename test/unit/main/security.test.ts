import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, mimeType, resolveAppFile } from '../../../src-main/security/app-protocol';
import {
  CONTENT_SECURITY_POLICY,
  devContentSecurityPolicy,
  withSecurityHeaders,
} from '../../../src-main/security/csp';
import { isAllowedNavigation, senderProblem, type TrustPolicy } from '../../../src-main/security/sender';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const policy: TrustPolicy = { windowIds: new Set([7]), devOrigin: null };
const ok = { url: APP_ENTRY_URL, isMainFrame: true, webContentsId: 7 };

describe('IPC sender check', () => {
  it('trusts the main frame of our window showing our page', () => {
    expect(senderProblem(ok, policy)).toBeNull();
    expect(senderProblem({ ...ok, url: 'app://netloom/index.html#/x?y=1' }, policy)).toBeNull();
  });
  it.each([
    [{ ...ok, webContentsId: 8 }, 'not a Netloom window'],
    [{ ...ok, isMainFrame: false }, 'sub-frame'],
    [{ ...ok, url: null }, 'gone'],
    [{ ...ok, url: 'https://evil.example/' }, "'https://evil.example'"],
    [{ ...ok, url: 'app://other/index.html' }, 'not the app'],
    [{ ...ok, url: 'file:///work/main/out/renderer/index.html' }, 'not the app'],
    [{ ...ok, url: 'http://localhost:5173/' }, 'not the app'],
    [{ ...ok, url: '::' }, 'unparsable'],
  ])('refuses %j', (sender, fragment) => {
    expect(senderProblem(sender, policy)).toContain(fragment);
  });
  it('trusts the dev server only when running in development', () => {
    const dev = { ...policy, devOrigin: 'http://localhost:5173' };
    expect(senderProblem({ ...ok, url: 'http://localhost:5173/' }, dev)).toBeNull();
    expect(senderProblem({ ...ok, url: 'http://localhost:5174/' }, dev)).not.toBeNull();
  });
});

describe('navigation policy', () => {
  it('allows only our own page', () => {
    expect(isAllowedNavigation(APP_ENTRY_URL, null)).toBe(true);
    for (const u of [
      'https://example.com',
      'file:///etc/passwd',
      'app://evil/',
      'javascript:alert(1)',
      'nonsense',
    ])
      expect(isAllowedNavigation(u, null), u).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
  });
});

describe('app:// file resolution', () => {
  const r = '/srv/app/renderer';
  it('maps URLs into the renderer folder', () => {
    expect(resolveAppFile(r, 'app://netloom/')).toBe('/srv/app/renderer/index.html');
    expect(resolveAppFile(r, 'app://netloom/assets/a%20b.js?v=1')).toBe('/srv/app/renderer/assets/a b.js');
  });
  it('keeps dot segments inside the folder (the URL parser removes them before we see the path)', () => {
    expect(resolveAppFile(r, 'app://netloom/../main/index.js')).toBe('/srv/app/renderer/main/index.js');
    expect(resolveAppFile(r, 'app://netloom/%2e%2e/main/index.js')).toBe('/srv/app/renderer/main/index.js');
  });
  it.each([
    'app://netloom/assets/%2e%2e%2f%2e%2e%2fsecret',
    'app://netloom/a%5c..%5c..%5csecret',
    'app://netloom/a%00b',
    'app://netloom/%E0%A4%A',
    'app://other/index.html',
    'https://netloom/index.html',
    'not a url',
  ])('refuses %s', (u) => {
    expect(resolveAppFile(r, u)).toBeNull();
  });
  it('serves known types with their MIME type', () => {
    expect(mimeType('x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeType('a.WASM')).toBe('application/wasm');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});

describe('Content-Security-Policy', () => {
  it('is the exact policy of the issue', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
  it("matches the renderer's meta tag (which cannot carry frame-ancestors)", () => {
    const html = readFileSync(path.join(root, 'src-renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta, 'index.html has a CSP meta tag').not.toBeNull();
    expect(meta![1]).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });
  it('replaces any CSP header of a response, whatever its case', () => {
    const h = withSecurityHeaders({ 'content-security-policy': ['*'], 'X-Other': 'a' });
    expect(h).toEqual({
      'X-Other': ['a'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'X-Content-Type-Options': ['nosniff'],
      'Cross-Origin-Opener-Policy': ['same-origin'],
      'Cross-Origin-Embedder-Policy': ['require-corp'],
    });
  });
  it('lets the dev server add only its own websocket', () => {
    expect(devContentSecurityPolicy('http://localhost:5173')).toContain(
      "connect-src 'self' ws://localhost:5173;",
    );
  });
});
