/**
 * Shared CLI plumbing: `--help`, one-line error reports (no stack trace for known errors), and
 * SIGTERM/SIGINT handling. A second signal exits at once; leases protect whatever was running.
 */
import { JobbersError } from '../errors.js';

export interface CliSpec {
  name: string;
  usage: string;
  main(argv: string[], onSignal: (handler: (signal: string) => Promise<void>) => void): Promise<number | void>;
}

export function runCli(spec: CliSpec): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${spec.usage.trim()}\n`);
    process.exit(0);
  }
  let shuttingDown = false;
  const onSignal = (handler: (signal: string) => Promise<void>) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.on(sig, () => {
        if (shuttingDown) {
          process.stderr.write(`${spec.name}: second ${sig}, exiting now\n`);
          process.exit(130);
        }
        shuttingDown = true;
        handler(sig).catch((err: unknown) => {
          process.stderr.write(`${spec.name}: shutdown failed: ${(err as Error).message}\n`);
          process.exit(1);
        });
      });
    }
  };
  spec.main(argv, onSignal).then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      const msg = err instanceof JobbersError ? err.message : `${(err as Error)?.stack ?? String(err)}`;
      process.stderr.write(`${spec.name}: ${msg}\n`);
      process.exit(1);
    },
  );
}
