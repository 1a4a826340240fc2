// A link's ?view= opens its tab; one that names no tab opens the first and says so in the notice line.
import { describe, expect, it } from 'vitest';
import { findTab, unknownViewNotice, WORKSPACE_TABS } from '../../src/features/workspace-tabs';

describe('workspace tabs', () => {
  it('finds a tab by id and falls back to the first', () => {
    expect(findTab('models').id).toBe('models');
    expect(findTab('bogus').id).toBe(WORKSPACE_TABS[0]!.id);
    expect(findTab(null).id).toBe(WORKSPACE_TABS[0]!.id);
  });

  it('names a view the link asks for that does not exist, and nothing for a known or absent one', () => {
    expect(unknownViewNotice('bogus')).toBe(
      `The link's view "bogus" does not exist (${WORKSPACE_TABS.map((t) => t.id).join(', ')}); opening Generate.`,
    );
    expect(unknownViewNotice('gallery')).toBeNull();
    expect(unknownViewNotice(null)).toBeNull();
  });
});
