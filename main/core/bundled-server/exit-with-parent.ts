/**
 * Preloaded (`node --import`) into a bundled server started by the CLI: when the parent's IPC
 * channel closes (the parent exited, even by SIGKILL), the server gets SIGTERM and drains,
 * instead of outliving the import that started it.
 */
if (process.connected) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
