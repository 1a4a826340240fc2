// What the studio says about a network a task is opening after the load (the store's openingNetworks):
// the task's status line ("Downloading DINO encoder 3.1/5.5 MiB · 1.2 MiB/s, 2.0 s left…") and the
// Models bar's chip ("38 %"). Both read the same bytes, from the task call's own progress events.
import { formatByteProgress, formatSpeed, transferStats } from '../../engine/download-progress';
import { NETWORK_LABEL, NETWORK_ROLES, type NetworkRole } from '../../engine/model-set';
import { formatDuration } from '../../engine/workspace/progress-eta';
import { useStudio } from '../../store';
import type { NetworkOpening } from '../../store/model-slice';

/** The verb of each stage, as the status line starts ('plan' is the load's alone). */
const STAGE_VERB = {
  plan: 'Planning',
  download: 'Downloading',
  cache: 'Reading from the cache:',
  verify: 'Verifying',
  session: 'Opening',
} as const satisfies Record<NetworkOpening['stage'], string>;

/** Whole percent of the network's bytes in (0 while its size is unknown). */
export function openingPercent(opening: NetworkOpening): number {
  if (opening.stage === 'session') return 100;
  return opening.totalBytes > 0 ? Math.floor((100 * opening.loadedBytes) / opening.totalBytes) : 0;
}

/** "Downloading DINO encoder 3.1/5.5 MiB · 1.2 MiB/s, 2.0 s left…", "Opening DINO encoder…". */
export function openingLine(role: NetworkRole, opening: NetworkOpening): string {
  const name = NETWORK_LABEL[role];
  const verb = STAGE_VERB[opening.stage];
  if (opening.stage === 'session' || opening.totalBytes <= 0) return `${verb} ${name}…`;
  const { bytesPerSecond, etaSeconds } = transferStats(opening.samples, opening.totalBytes);
  const rate =
    bytesPerSecond === null || opening.stage !== 'download'
      ? ''
      : ` · ${formatSpeed(bytesPerSecond)}${etaSeconds ? `, ${formatDuration(etaSeconds * 1000)} left` : ''}`;
  return `${verb} ${name} ${formatByteProgress(opening.loadedBytes, opening.totalBytes)}${rate}…`;
}

/** The network being opened now, in table order (a task opens one at a time), or null. */
export function currentOpening(
  openingNetworks: Partial<Readonly<Record<NetworkRole, NetworkOpening>>>,
): { readonly role: NetworkRole; readonly opening: NetworkOpening } | null {
  // The last one to report is the one the task waits on (an earlier one's session may still be opening).
  let current: { role: NetworkRole; opening: NetworkOpening } | null = null;
  for (const role of NETWORK_ROLES) {
    const opening = openingNetworks[role];
    const lastAt = opening?.samples.at(-1)?.atMs ?? -Infinity;
    if (opening && (!current || lastAt > (current.opening.samples.at(-1)?.atMs ?? -Infinity)))
      current = { role, opening };
  }
  return current;
}

/**
 * The status line of the network a task is opening after the load ("Downloading DINO encoder …"), or
 * null when none is: a running task shows it instead of its own line while it waits on the network.
 */
export function useOpeningLine(): string | null {
  return useStudio((s) => {
    const current = currentOpening(s.openingNetworks);
    return current ? openingLine(current.role, current.opening) : null;
  });
}
