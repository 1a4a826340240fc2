// Runs the svg-studio CLI as a user does (node bin/svg-studio.mjs), in its own process.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve('bin/svg-studio.mjs');
export const TINY = path.resolve('public/models/random-tiny');

export function runCli(
  args: readonly string[],
  options: { readonly env?: Record<string, string>; readonly cwd?: string } = {},
): SpawnSyncReturns<string> {
  return spawnSync('node', [BIN, ...args], {
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    timeout: 60_000,
  });
}

/** Runs the CLI without waiting (for processes that run at the same time). */
export function runCliAsync(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Starts the CLI and kills it (SIGKILL, no chance to clean up) as soon as a line of its stderr matches
 * `killWhen`; resolves with that stderr. Rejects when the process exits before the line appears.
 */
export function runCliUntil(args: readonly string[], killWhen: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (killWhen.test(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(stderr);
      else reject(new Error(`exited with ${code} before ${killWhen}: ${stderr}`));
    });
  });
}
