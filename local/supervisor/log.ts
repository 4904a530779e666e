const COLORS = [36, 35, 33, 32, 34, 91, 96, 93];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const widths = 9;

/** A logger that prefixes each line with a fixed-width, coloured service name. */
export function prefixed(name: string, index: number): (line: string) => void {
  const label = `[${name}]`.padEnd(widths + 2);
  const tag = useColor ? `\x1b[${COLORS[index % COLORS.length]}m${label}\x1b[0m` : label;
  return (line: string) => process.stdout.write(`${tag} ${line}\n`);
}
