// The figures the exporter measures for a variant against the PyTorch float32 model
// (networks.<role>.variants.<id>.check): one table read by the manifest schema, the capability report
// and the model manager.

export const CHECK_FIGURES = [
  {
    key: 'maxRelativeError',
    label: 'max relative error',
    format: (x: number) => `${(x * 100).toPrecision(2)} %`,
  },
  { key: 'velocityMaxAbs', label: 'velocity max |Δ|', format: (x: number) => x.toPrecision(3) },
  { key: 'latentMaxAbs', label: 'final latent max |Δ|', format: (x: number) => x.toPrecision(3) },
  { key: 'decodedPsnrDb', label: 'decoded PSNR', format: (x: number) => `${x.toFixed(1)} dB` },
] as const;
export type CheckFigure = (typeof CHECK_FIGURES)[number]['key'];

/** "max relative error 0.11 %, decoded PSNR 34.2 dB": the figures a check has, in table order. */
export function describeCheck(check: Partial<Record<CheckFigure, number>> | undefined): string {
  if (!check) return '';
  return CHECK_FIGURES.flatMap(({ key, label, format }) => {
    const value = check[key];
    return value === undefined ? [] : [`${label} ${format(value)}`];
  }).join(', ');
}
