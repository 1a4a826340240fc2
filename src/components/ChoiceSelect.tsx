// A <select> over a view's table of choices (value → label): the options are the table's keys in order,
// and onChange hands back the chosen key typed, so a view neither repeats the option loop nor casts
// event.target.value itself. Choices whose keys come from data (model-set ids) are given as [value, label]
// pairs: an object would list integer-like keys ("1") first, whatever their order.
import type { SelectHTMLAttributes } from 'react';

type ChoiceSelectProps<K extends string> = Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'value' | 'onChange' | 'children'
> & {
  readonly choices: Readonly<Record<K, string>> | ReadonlyArray<readonly [K, string]>;
  readonly value: K;
  readonly onChange: (choice: K) => void;
};

export function ChoiceSelect<K extends string>({
  choices,
  value,
  onChange,
  ...select
}: ChoiceSelectProps<K>) {
  // Every option's value is a key of `choices`, so the value the select reports is a K.
  const entries: ReadonlyArray<readonly [K, string]> = Array.isArray(choices)
    ? choices
    : (Object.entries(choices) as [K, string][]);
  return (
    <select {...select} value={value} onChange={(event) => onChange(event.target.value as K)}>
      {entries.map(([choice, label]) => (
        <option key={choice} value={choice}>
          {label}
        </option>
      ))}
    </select>
  );
}
