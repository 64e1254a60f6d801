import type { PhoneColumnChoice, PhoneColumnScore } from '../../shared/api';

const percent = (share: number) => `${Math.round(share * 100)} %`;

function numbersOf(score: PhoneColumnScore): string {
  const mobiles = score.mobileShare === undefined ? '' : `, ${percent(score.mobileShare)} mobiles`;
  return `${percent(score.share)} numbers${mobiles}`;
}

/** Which column the numbers are read from, and why, in a line. */
export function phoneColumnLine(
  columns: readonly string[],
  column: number,
  choice: PhoneColumnChoice | null,
  given: boolean,
): string {
  const name = `"${columns[column]}"`;
  if (given) return `Phone column: ${name} (given with --phone-column).`;
  if (!choice) return `Phone column: ${name}.`;
  const runnerUp = choice.runnerUp
    ? `; "${columns[choice.runnerUp.column]}" also has numbers (${numbersOf(choice.runnerUp)}), use --phone-column to take it`
    : '';
  return `Phone column: ${name}, found by its content (${numbersOf(choice)})${runnerUp}.`;
}
