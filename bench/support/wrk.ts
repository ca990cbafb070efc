import { execFileSync, spawn } from 'node:child_process';

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/** wrk from Debian; installed on first use (the benchmark machines run as root). */
export function ensureWrk(): string {
  const found = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  if (found()) return found();
  console.log('Installing wrk (apt-get install -y wrk)...');
  execFileSync('sh', ['-c', 'apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null)'], {
    stdio: 'inherit',
  });
  if (!found()) throw new Error('wrk is not installed and apt-get could not install it');
  return found();
}

/**
 * `wrk -t<threads> -c<connections> -d<seconds>s --latency` against one URL on 127.0.0.1, in its own
 * process; killed if it overruns by 30 s. Fails on any non-2xx answer or socket error, so a case
 * that answers wrongly cannot pass for a fast one.
 */
export async function runWrk(
  url: string,
  opts: { connections: number; threads: number; seconds: number; headers?: Record<string, string> },
): Promise<WrkResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error(`wrk only talks to 127.0.0.1, not ${url}`);
  const args = [`-t${opts.threads}`, `-c${opts.connections}`, `-d${opts.seconds}s`, '--latency', '--timeout', '10s'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(url);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), (opts.seconds + 30) * 1000);
    child.on('close', (code) => {
      clearTimeout(killer);
      if (code === 0) resolve(text);
      else reject(new Error(`wrk exited ${code}: ${text}`));
    });
  });
  if (/Non-2xx or 3xx responses|Socket errors/.test(out)) throw new Error(`wrk ${url}: errors\n${out}`);
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`wrk output without the ${label}% latency:\n${out}`);
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const requests = /(\d+) requests in/.exec(out);
  if (!rps || !requests) throw new Error(`unexpected wrk output:\n${out}`);
  return { rps: Number(rps[1]), p50Ms: ms('50'), p99Ms: ms('99'), requests: Number(requests[1]) };
}
