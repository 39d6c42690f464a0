/** The filter options shared by `ask` and `chat` (department, year, 建议/提案, session). */
import type { AskOptions } from '../answer/index.ts';
import { DafuInputError } from '../errors.ts';

export const FILTER_OPTIONS = {
  department: { type: 'string' },
  year: { type: 'string' },
  kind: { type: 'string' },
  session: { type: 'string' },
} as const;

export const FILTER_USAGE = `  --department NAME  only replies from (or passages naming) this department, e.g. 省科技厅
  --year YYYY        only replies dated in this year
  --kind KIND        建议 / 提案 / 代表建议 / 委员提案 / 党派团体提案
  --session TEXT     e.g. 省十四届人大四次会议`;

/** Validated filters from parsed option values. */
export function filtersFrom(values: { department?: string; year?: string; kind?: string; session?: string }): NonNullable<AskOptions['filters']> {
  const f: NonNullable<AskOptions['filters']> = {};
  if (values.department?.trim()) f.department = values.department.trim();
  if (values.year !== undefined) {
    if (!/^\d{4}$/.test(values.year.trim())) throw new DafuInputError(`--year must be a four-digit year such as 2025, got "${values.year}"`);
    f.year = values.year.trim();
  }
  if (values.kind?.trim()) f.kind = values.kind.trim();
  if (values.session?.trim()) f.session = values.session.trim();
  return f;
}
