/**
 * The Content-Security-Policy of every page Netloom shows. No remote content, no eval; WebAssembly
 * compilation and (blob:) workers are allowed for the compute backends. The renderer's
 * index.html carries the same policy as a meta tag (minus frame-ancestors, which only works as
 * a header); main adds it as a response header to everything it serves.
 */

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The dev server's policy: as above, plus the Vite dev server's websocket for hot reload. */
export function devContentSecurityPolicy(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ${ws}`);
}

/**
 * Returns response headers with the CSP, related hardening headers and cross-origin isolation set (replacing any CSP
 * header the response had, whatever its letter case).
 */
export function withSecurityHeaders(
  headers: Record<string, string[] | string>,
  csp: string = CONTENT_SECURITY_POLICY,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [csp];
  out['X-Content-Type-Options'] = ['nosniff'];
  // Cross-origin isolation: SharedArrayBuffer for the renderer's trainer worker (GEMM helper threads,
  // engine/backend/wasm/threads.web.ts). Everything the app loads is its own, so nothing breaks.
  out['Cross-Origin-Opener-Policy'] = ['same-origin'];
  out['Cross-Origin-Embedder-Policy'] = ['require-corp'];
  return out;
}
