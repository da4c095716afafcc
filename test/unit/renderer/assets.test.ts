// Static assets of the renderer: the CSP in index.html, no remote resources, the app icon.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url));

/** The policy required by issue #2 (frame-ancestors is set as a header by the main process). */
const REQUIRED_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'";

describe('src-renderer/index.html', () => {
  const html = read('src-renderer/index.html').toString('utf8');

  it('carries exactly the required Content-Security-Policy', () => {
    const m = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/);
    expect(m, 'CSP meta tag').not.toBeNull();
    expect(m![1]).toBe(REQUIRED_CSP);
    // Only WebAssembly compilation is allowed, never eval().
    expect(m![1].split(/[\s;]+/)).not.toContain("'unsafe-eval'");
  });

  it('references no remote resource', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('app icon', () => {
  it('icon.png is a 512×512 RGBA PNG', () => {
    const png = read('build/icon.png');
    // PNG signature, then the IHDR chunk: width and height as big-endian uint32 at bytes 16 and 20.
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(png[25]).toBe(6); // colour type 6 = RGBA (transparent corners)
  });

  it('icon.svg is self-contained (no external references or scripts)', () => {
    const svg = read('build/icon.svg').toString('utf8');
    expect(svg).toMatch(/viewBox="0 0 512 512"/);
    expect(svg).not.toMatch(/<script|<image|href="(?!#)|url\((?!#)/);
  });
});
