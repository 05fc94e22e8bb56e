/**
 * One synthetic credential PDF of a named layout (test/fixtures/credentials), for server tests
 * that need a document of a real type (review corrections are checked against the type's fields).
 */
import type { Truth } from '../fixtures/credentials/generate';
import { LAYOUTS } from '../fixtures/credentials/layouts';
import { createRng } from '../fixtures/credentials/prng';
import { PdfBuilder } from '../fixtures/credentials/render-pdf';

export async function makeCredentialPdf(
  layoutName: string,
  seed = 20261205,
): Promise<{ bytes: Uint8Array; truth: Truth }> {
  const layout = LAYOUTS.find((l) => l.name === layoutName);
  if (!layout) throw new Error(`No layout ${layoutName}; see test/fixtures/credentials/layouts.ts.`);
  const pdf = await PdfBuilder.create('Document');
  const truth = layout.build(createRng(seed, layoutName).fork('layout'), pdf);
  return { bytes: await pdf.save(), truth };
}
