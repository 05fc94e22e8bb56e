/**
 * The file's path relative to the imported folder ("Sehgal_Ashok/license.pdf"), as the client
 * sent it at registration: kept on the upload and carried to its document, where the provider
 * matcher reads its folder names as a hint (never proof). PHI-adjacent: never logged.
 */
export const up = `
ALTER TABLE uploads ADD COLUMN rel_path TEXT;
ALTER TABLE documents ADD COLUMN rel_path TEXT;
`;
