/** `credmate store --data-dir D --port P [--host H]`: the embedded S3-compatible store as its own process. */
import { formatStoreReadyLine } from '../../../node-shared/ready-line';
import { createLogger } from '../../../server/log';
import { loadStoreConfig, startStandaloneStore } from '../../../server/storage/standalone-store';

const USAGE = `usage: credmate store --data-dir DIR --port N [options]

Runs the embedded S3-compatible store as its own process (for tests and small sites; production
uses S3). Prints one line on stdout when it listens:
  {"event":"ready","s3":{"endpoint":…,"bucket":…,"region":…}}
and stops on SIGTERM or SIGINT.

  --data-dir DIR   where the objects are kept (<DIR>/server/objects); a directory of its own,
                   not a server's data dir
  --port N         port to listen on (0: a free one, reported in the ready line)
  --host H         address to listen on (default 127.0.0.1)
  --bucket NAME    the bucket (env CREDMATE_S3_BUCKET, default credmate)
  --region NAME    the region reported (env CREDMATE_S3_REGION, default us-east-1)

Keys: CREDMATE_S3_ACCESS_KEY_ID and CREDMATE_S3_SECRET_ACCESS_KEY (both or neither). With neither,
as the server's embedded store does, keys are generated once and kept in <DIR>/server/s3-keys.json.

Then point a server at it with the same keys in its environment:
  credmate server --s3-endpoint <endpoint> --s3-bucket <bucket> …`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  // The SDK's "Node 22 will be needed" notice is unstructured noise on stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const log = createLogger(
    (process.env.CREDMATE_LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'info',
    { component: 'store' },
  );
  let store: Awaited<ReturnType<typeof startStandaloneStore>>;
  try {
    store = await startStandaloneStore(loadStoreConfig(argv), log);
  } catch (err) {
    process.stderr.write(`credmate store: ${err instanceof Error ? err.message : String(err)}\n`);
    setImmediate(() => process.exit(1));
    return 1;
  }
  log.info('store.ready', {
    endpoint: store.endpoint,
    bucket: store.bucket,
    keys: store.keys.source === 'file' ? `generated, in ${store.keys.file}` : 'from the environment',
  });
  process.stdout.write(
    formatStoreReadyLine({ s3: { endpoint: store.endpoint, bucket: store.bucket, region: store.region } }),
  );
  const code = await new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info('store.signal', { signal });
      store.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('store.stopped');
  setImmediate(() => process.exit(code));
  return code;
}
