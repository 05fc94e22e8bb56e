/**
 * The object-key scheme, owned here: uploads choose keys, storage refuses writes to sealed ones,
 * jobs and document deletes find the derived text. Each imports this module, none another's.
 */

/** Server-chosen object key of an upload's PDF: never derived from anything the client sent. */
export function objectKeyFor(orgId: string, uploadId: string): string {
  return `org/${orgId}/${uploadId}.pdf`;
}

/** An objectKeyFor key: organisation id, upload id. */
const DOCUMENT_KEY = /^org\/([^/]+)\/([^/]+)\.pdf$/;

/** The upload id of a document key, or null when `key` is not one. */
export function uploadIdOfKey(key: string): string | null {
  return DOCUMENT_KEY.exec(key)?.[2] ?? null;
}

/** Where the worker keeps the text it read from the document stored at `objectKey` (a derived artifact, JSON). */
export function derivedTextKeyFor(objectKey: string): string {
  const m = DOCUMENT_KEY.exec(objectKey);
  // Never a key that could be the document's own: the text must not overwrite the PDF.
  if (!m) throw new Error(`Not a document key: ${objectKey}`);
  return `org/${m[1]}/derived/${m[2]}/text.json`;
}
