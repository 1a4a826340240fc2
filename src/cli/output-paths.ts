// Output paths are checked before any work starts (a generation that takes minutes must not end in
// "cannot write"): the nearest existing ancestor must be a folder on a real, writable filesystem, and an
// existing target must be of the right kind. Messages name the path and what is wrong with it, instead
// of the EEXIST that Node's recursive mkdir gives for /etc/passwd/a.png or the hang it has under /proc.
import { constants } from 'node:fs';
import { access, mkdir, rename, stat, statfs, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './args';

/** statfs types of kernel filesystems that are never a place for output files. */
const VIRTUAL_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
]);

async function statOrNull(target: string) {
  try {
    return await stat(target);
  } catch (error) {
    // ENOTDIR: a file stands where a folder of the path should be; the ancestor walk names it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UsageError(`${target}: cannot be inspected (${(error as Error).message})`);
  }
}

/** The nearest existing ancestor of `target` (itself excluded), which must be a writable folder. */
async function checkAncestor(option: string, target: string): Promise<void> {
  let ancestor = path.dirname(target);
  let info = await statOrNull(ancestor);
  while (info === null && path.dirname(ancestor) !== ancestor) {
    ancestor = path.dirname(ancestor);
    info = await statOrNull(ancestor);
  }
  if (info === null) throw new UsageError(`${option} ${target}: no folder of the path exists`);
  if (!info.isDirectory()) {
    throw new UsageError(
      `${option} ${target}: ${ancestor} is a file, not a folder, so nothing can be created under it`,
    );
  }
  const kind = VIRTUAL_FILESYSTEMS.get(Number((await statfs(ancestor)).type));
  if (kind)
    throw new UsageError(
      `${option} ${target}: ${ancestor} is on ${kind}, a kernel filesystem, not a place for output files`,
    );
  try {
    await access(ancestor, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `${option} ${target}: the folder ${ancestor} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/** Checks that `file` can be written (created or replaced) as a regular file. */
export async function checkOutputFile(option: string, file: string): Promise<void> {
  const target = path.resolve(file);
  const info = await statOrNull(target);
  if (info && !info.isFile()) {
    throw new UsageError(
      `${option} ${file}: exists and is ${info.isDirectory() ? 'a folder' : 'not a regular file'}`,
    );
  }
  if (info) {
    try {
      await access(target, constants.W_OK);
    } catch {
      throw new UsageError(`${option} ${file}: exists and is not writable`);
    }
  }
  await checkAncestor(option, target);
}

/** Checks that `dir` is a writable folder or can be created as one. */
export async function checkOutputFolder(option: string, dir: string): Promise<void> {
  const target = path.resolve(dir);
  const info = await statOrNull(target);
  if (info && !info.isDirectory()) throw new UsageError(`${option} ${dir}: exists and is not a folder`);
  if (info) {
    const kind = VIRTUAL_FILESYSTEMS.get(Number((await statfs(target)).type));
    if (kind)
      throw new UsageError(
        `${option} ${dir}: is on ${kind}, a kernel filesystem, not a place for output files`,
      );
    try {
      await access(target, constants.W_OK);
    } catch {
      throw new UsageError(`${option} ${dir}: the folder is not writable`);
    }
    return;
  }
  await checkAncestor(option, target);
}

/**
 * Writes `bytes` to `file` atomically: a temporary file in the same folder, then a rename, so a process
 * killed mid-write never leaves a half file under the final name (sample's resume relies on it).
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
