// Progress on stderr: a one-line bar with elapsed time and ETA on a TTY; elsewhere (job logs, pipes)
// nothing, or, with `plainLines`, one plain line per update so a Kubernetes or Slurm log shows progress
// without carriage returns.
export class ProgressBar {
  private readonly width = 30;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    private readonly options: { readonly plainLines?: boolean; readonly unit?: string } = {},
  ) {}

  update(done: number, total: number, elapsedMs: number): void {
    const eta = done > 0 ? ((total - done) * elapsedMs) / done / 1000 : NaN;
    const etaText = Number.isFinite(eta) ? `ETA ${eta.toFixed(1)} s` : '';
    const unit = this.options.unit ? ` ${this.options.unit}` : '';
    if (!this.stream.isTTY) {
      if (this.options.plainLines) {
        const rate = elapsedMs > 0 ? ` (${((done * 1000) / elapsedMs).toFixed(2)}${unit}/s)` : '';
        this.stream.write(
          `${this.label}: ${done}/${total}${unit}${rate}, ${(elapsedMs / 1000).toFixed(1)} s ${etaText}\n`,
        );
      }
      return;
    }
    const fraction = total > 0 ? done / total : 0;
    const filled = Math.round(fraction * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    this.stream.write(
      `\r${this.label} ${bar} ${done}/${total}${unit} ${(elapsedMs / 1000).toFixed(1)} s ${etaText}  `,
    );
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
