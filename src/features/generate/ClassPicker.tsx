// Class picker: a search box (by name or id) that narrows the "Class" list, and a random-class action.
// The list keeps the selected class even when the search hides it, so the value never silently changes.
import { useMemo, useState } from 'react';
import { randomClassId, searchClasses } from '../../engine/workspace/class-search';

interface ClassPickerProps {
  readonly names: readonly string[];
  readonly value: number;
  readonly onChange: (classId: number) => void;
}

const MAX_LISTED = 200;

export function ClassPicker({ names, value, onChange }: ClassPickerProps) {
  const [query, setQuery] = useState('');
  const matches = useMemo(() => searchClasses(names, query, MAX_LISTED), [names, query]);
  const listed = matches.some((m) => m.id === value)
    ? matches
    : [{ id: value, name: names[value] ?? `class ${value}` }, ...matches];

  return (
    <fieldset className="class-picker">
      <legend>Class</legend>
      <input
        type="search"
        aria-label="Search classes"
        placeholder={`Search ${names.length} classes by name or id`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="row">
        <select aria-label="Class" value={value} onChange={(e) => onChange(Number(e.target.value))}>
          {listed.map(({ id, name }) => (
            <option key={id} value={id}>
              {id}: {name}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() => onChange(randomClassId(names.length))}
          disabled={names.length === 0}
        >
          Random class
        </button>
      </div>
      {query !== '' && matches.length === 0 && <p className="hint">No class matches “{query}”.</p>}
    </fieldset>
  );
}
