// docs/scale-out.md stays accurate to the CLI: the Kubernetes and Slurm commands it shows parse, and the
// shard each runner's variables select is the one the document says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, type SampleArgs } from '../../src/cli/args';
import { resolveShard } from '../../src/cli/sample-plan';

const doc = readFileSync('docs/scale-out.md', 'utf8');

/** The `args:` entries of the container named `name` in the Kubernetes manifest. */
function containerArgs(name: string): string[] {
  const start = doc.indexOf(`- name: ${name}`);
  const block = doc.slice(start).split('\n');
  const argsAt = block.findIndex((line) => line.trim().startsWith('args:'));
  const inline = /args: \[(.*)\]/.exec(block[argsAt] ?? '');
  if (inline) return (inline[1] as string).split(',').map((item) => item.trim());
  const items: string[] = [];
  for (const line of block.slice(argsAt + 1)) {
    const match = /^\s+- (.+)$/.exec(line);
    if (!match || line.includes('name:')) break;
    items.push(match[1] as string);
  }
  return items;
}

/** The svg-studio command of a Slurm script (backslash continuations joined, variables substituted). */
function slurmCommand(command: string, env: Record<string, string>): string[] {
  const joined = doc.replace(/\\\n\s*/g, ' ');
  const line = joined.split('\n').find((l) => l.startsWith(`node "$SVG_STUDIO" ${command}`)) as string;
  return line
    .slice('node "$SVG_STUDIO" '.length)
    .replace(/"\$(\w+)"/g, (_m, name: string) => env[name] ?? '')
    .split(/\s+/);
}

describe('docs/scale-out.md', () => {
  it('shows a Kubernetes sample command the CLI accepts, sharded by JOB_COMPLETION_INDEX', () => {
    const args = parseCliArgs(containerArgs('sample')) as SampleArgs;
    expect(args).toMatchObject({
      command: 'sample',
      num: 50000,
      shardCount: 8,
      steps: 25,
      cfgMode: 'cfg_star-1-0',
    });
    expect(resolveShard(args.shard, args.shardCount, { JOB_COMPLETION_INDEX: '7' })).toEqual({
      index: 7,
      count: 8,
    });
    expect(parseCliArgs(containerArgs('merge'))).toMatchObject({
      command: 'merge',
      npz: '/data/runs/fid50k.npz',
    });
  });

  it('shows a GitHub Actions matrix whose commands the CLI accepts', () => {
    const lines = doc.split('\n').filter((line) => line.includes('- run: node bin/svg-studio.mjs'));
    const [sample, merge] = lines.map((line) =>
      line
        .replace(/^.*- run: node bin\/svg-studio\.mjs /, '')
        .replace(/\$\{\{ matrix\.shard \}\}/g, '2')
        .split(/\s+/),
    );
    expect(parseCliArgs(sample as string[])).toMatchObject({
      command: 'sample',
      perClass: 100,
      shard: '2/4',
      out: 'shard-2',
    });
    expect(parseCliArgs(merge as string[])).toMatchObject({
      command: 'merge',
      dirs: ['shard-0', 'shard-1', 'shard-2', 'shard-3'],
    });
  });

  it('shows Slurm commands the CLI accepts, sharded by SLURM_ARRAY_TASK_ID and _COUNT', () => {
    const args = parseCliArgs(slurmCommand('sample', { SLURM_ARRAY_TASK_ID: '3' })) as SampleArgs;
    expect(args).toMatchObject({ command: 'sample', num: 50000, out: '/shared/runs/fid50k/shard-3' });
    expect(
      resolveShard(args.shard, args.shardCount, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' }),
    ).toEqual({ index: 3, count: 8 });
    expect(parseCliArgs(slurmCommand('merge', {}))).toMatchObject({
      command: 'merge',
      dirs: ['/shared/runs/fid50k/shard-*'],
    });
  });
});
