/**
 * Preloaded (`node --import`) into a bundled server started by the CLI: when the parent's IPC
 * channel closes (the parent exited, even by SIGKILL), the server gets SIGTERM and drains,
 * instead of outliving the import that started it. The channel itself must not keep the process
 * alive: a server that fails to start has to exit and say why.
 */
if (process.connected) {
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
