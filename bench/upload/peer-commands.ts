import { execFileSync } from 'node:child_process';
import type { StoreTarget } from './raw-put-ceiling';
import { runTimed, type TimedRun } from './run-timed';

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs awscli and rclone from Debian when missing (the comparison needs the real tools). */
export function ensurePeers(): void {
  const missing = ['aws', 'rclone'].filter((c) => !has(c));
  if (missing.length === 0) return;
  console.error(`bench: installing ${missing.join(', ')} with apt-get...`);
  execFileSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli rclone >/dev/null'],
    { stdio: 'inherit' },
  );
}

export function peerVersions(): { aws: string; rclone: string } {
  const v = (cmd: string, args: string[]): string => {
    try {
      return (
        execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, AWS_CA_BUNDLE: '' } })
          .split('\n')[0]
          ?.trim() ?? '?'
      );
    } catch {
      return '?';
    }
  };
  return { aws: v('aws', ['--version']), rclone: v('rclone', ['version']) };
}

/** `aws s3 cp --recursive` to the store, with its default settings. */
export function awsCopy(folder: string, t: StoreTarget, prefix: string): Promise<TimedRun> {
  return runTimed(
    'aws',
    [
      's3',
      'cp',
      '--recursive',
      '--only-show-errors',
      '--endpoint-url',
      t.endpoint,
      folder,
      `s3://${t.bucket}/${prefix}/`,
    ],
    {
      ...process.env,
      AWS_ACCESS_KEY_ID: t.accessKeyId,
      AWS_SECRET_ACCESS_KEY: t.secretAccessKey,
      AWS_DEFAULT_REGION: t.region,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  );
}

/** `rclone copy` to the store (S3 remote, provider Other), with its default settings. */
export function rcloneCopy(folder: string, t: StoreTarget, prefix: string): Promise<TimedRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
    RCLONE_CONFIG_BENCH_ENDPOINT: t.endpoint,
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: t.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: t.secretAccessKey,
    RCLONE_CONFIG_BENCH_REGION: t.region,
    RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
  };
  // rclone refuses the CA-bundle variable this machine sets for plain-http endpoints.
  delete env.AWS_CA_BUNDLE;
  return runTimed('rclone', ['copy', folder, `bench:${t.bucket}/${prefix}`], env);
}
