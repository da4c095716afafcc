/**
 * The `app://netloom/…` scheme that serves the built renderer (out/renderer) to the window.
 * A custom standard, secure scheme instead of file:// gives the page a real origin ('self' in
 * the CSP means this app only), and lets main attach the CSP header to every response.
 *
 * Pure path logic lives here so it is unit-tested: a request may only resolve to a file inside
 * the renderer folder (no `..`, no encoded separators, no other host).
 */

import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'netloom';
/** The URL the main window loads in production builds. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Maps a request URL to a file under `root`, or null when the URL is not ours or escapes `root`.
 * `/` maps to index.html.
 */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, rel);
  if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** Content type for a served file (by extension); unknown types are served as bytes. */
export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
