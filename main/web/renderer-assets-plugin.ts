/**
 * Vite plugin shared by the Electron and the web renderer builds: writes the CSP as a meta tag
 * into the built index.html (not in dev, where hot reload needs inline script) and ships
 * pdf.js's standard fonts, which PDFs that do not embed their fonts (pdf-lib's Helvetica) need.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from '../content-security-policy';

const require = createRequire(import.meta.url);

export function rendererAssets(): Plugin {
  return {
    name: 'credmate-renderer-assets',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace(
        '<head>',
        `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`,
      );
    },
    generateBundle() {
      const fontsDir = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts');
      for (const name of readdirSync(fontsDir)) {
        this.emitFile({
          type: 'asset',
          fileName: `pdfjs/standard_fonts/${name}`,
          source: readFileSync(join(fontsDir, name)),
        });
      }
    },
  };
}
