// The reference time grid: linspace(0, 1, S+1) in doubles, mapped by the timestep shift
// s·t / (1 + (s−1)·t) (identity for s <= 0), stored as float32. t = 0 is noise, t = 1 is data.
export function timeGrid(steps: number, shift: number): Float32Array {
  const grid = new Float32Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    grid[i] = shift <= 0 ? t : (shift * t) / (1 + (shift - 1) * t);
  }
  return grid;
}
