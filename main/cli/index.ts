/**
 * `credmate <command>`: one entry point for the server, user admin, imports, local extraction
 * and status. Each command lives in commands/<name>.ts and exports `run(argv) => exit code`;
 * they are loaded lazily so `credmate extract` never pays for the server's start-up.
 */
import { warmUpFileIoThreads } from '../core/file-io/file-io-client';

const COMMANDS = {
  server: {
    load: () => import('./commands/server'),
    help: 'run the bundled server (API, embedded store or S3, extraction workers; --workers 0: none)',
  },
  store: {
    load: () => import('./commands/store'),
    help: 'run the embedded S3-compatible store as its own process',
  },
  worker: {
    load: () => import('./commands/worker'),
    help: "run extraction workers as their own process on a server's data dir",
  },
  users: { load: () => import('./commands/users'), help: 'create organisations and users offline' },
  import: {
    load: () => {
      warmUpFileIoThreads();
      return import('./commands/import');
    },
    help: 'scan a folder and upload every PDF once',
  },
  status: { load: () => import('./commands/status'), help: 'show the local queue and the server state' },
  providers: { load: () => import('./commands/providers'), help: 'list providers with credentials and CME totals' },
  compliance: {
    load: () => import('./commands/compliance'),
    help: "a provider's CME compliance per license",
  },
  extract: {
    load: () => import('./commands/extract'),
    help: 'extract fields from PDFs locally, one JSON line per file',
  },
} as const;

type CommandName = keyof typeof COMMANDS;

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.help}`);
  return `usage: credmate <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "credmate <command> --help" for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (!(name in COMMANDS)) {
    console.error(`credmate: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const command = await COMMANDS[name as CommandName].load();
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`credmate: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
