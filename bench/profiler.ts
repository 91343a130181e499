/**
 * The V8 CPU profiler of the current process, for `npm run bench -- --cpu-prof DIR`: bench
 * processes start it when the measured part begins (start-up and module loading stay out of the
 * profile) and stop it when it ends, which writes <dir>/<pid>.cpuprofile. Without a dir it does
 * nothing. Summarise profiles with bench/profile-summary.ts.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

export interface CpuProfiler {
  /** Resolves once sampling has begun. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function cpuProfiler(dir: string | undefined): CpuProfiler {
  if (!dir) return { start: async () => {}, stop: async () => {} };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))),
    );
  return {
    async start() {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
    },
    async stop() {
      const res = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(res.profile));
      session.disconnect();
    },
  };
}
