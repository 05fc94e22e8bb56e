/** `credmate users`: placeholder until its issue lands; exits non-zero so nothing mistakes it for working. */
export async function run(_argv: string[]): Promise<number> {
  console.error('credmate users: not built yet.');
  return 1;
}
