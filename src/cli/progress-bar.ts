// A one-line progress bar with elapsed time and ETA, drawn only on a TTY (plain logs stay clean).
export class ProgressBar {
  private readonly width = 30;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
  ) {}

  update(done: number, total: number, elapsedMs: number): void {
    if (!this.stream.isTTY) return;
    const fraction = total > 0 ? done / total : 0;
    const filled = Math.round(fraction * this.width);
    const eta = done > 0 ? ((total - done) * elapsedMs) / done / 1000 : NaN;
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const etaText = Number.isFinite(eta) ? `ETA ${eta.toFixed(1)} s` : '';
    this.stream.write(
      `\r${this.label} ${bar} ${done}/${total} ${(elapsedMs / 1000).toFixed(1)} s ${etaText}  `,
    );
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
