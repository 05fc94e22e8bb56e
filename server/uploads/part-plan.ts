const MIB = 1024 * 1024;
export const MIN_PART_BYTES = 5 * MIB;
export const MAX_PARTS = 10_000;
/** S3's own ceiling for one object. */
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * MIB;

/** Part size for a file: at least 5 MiB (S3's minimum), grown in whole MiB so 10,000 parts always suffice; one part when the file fits. */
export function planParts(sizeBytes: number): { partSizeBytes: number; partCount: number } {
  const needed = Math.ceil(Math.ceil(sizeBytes / MAX_PARTS) / MIB) * MIB;
  const partSizeBytes = Math.max(MIN_PART_BYTES, needed);
  return { partSizeBytes, partCount: Math.max(1, Math.ceil(sizeBytes / partSizeBytes)) };
}

/** Bytes of part `partNumber` (1-based) of a file of `sizeBytes` cut into `partSizeBytes` parts: the last one holds the rest. */
export function partLength(sizeBytes: number, partSizeBytes: number, partNumber: number): number {
  return Math.max(0, Math.min(partSizeBytes, sizeBytes - (partNumber - 1) * partSizeBytes));
}
