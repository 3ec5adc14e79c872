import { describe, expect, it } from 'vitest';
import { jobRoot, weekOfMonth } from './job-lifecycle.js';

describe('s3_root week segment: week of the month, weeks starting Monday', () => {
  it("gives the docs' examples: 2022-01-19 is week 4, 2024-10-06 week 1", () => {
    expect(weekOfMonth(new Date('2022-01-19T15:00:00Z'))).toBe(4);
    expect(weekOfMonth(new Date('2024-10-06T05:00:00Z'))).toBe(1);
    expect(jobRoot('default', 'l8odS2mce', new Date('2022-01-19T15:42:00Z'), '37g_DK')).toBe(
      'default/flows/l8odS2mce/jobs/2022/01/4/19/15/37g_DK',
    );
  });

  it('starts week 2 on the first Monday and counts a month that starts on a Monday from it', () => {
    // January 2022 starts on a Saturday: the 1st and 2nd are week 1, Monday the 3rd starts week 2.
    expect(weekOfMonth(new Date('2022-01-02T23:59:59Z'))).toBe(1);
    expect(weekOfMonth(new Date('2022-01-03T00:00:00Z'))).toBe(2);
    // August 2022 starts on a Monday: days 1-7 are week 1, the 8th is week 2, the 29th week 5.
    expect(weekOfMonth(new Date('2022-08-07T12:00:00Z'))).toBe(1);
    expect(weekOfMonth(new Date('2022-08-08T12:00:00Z'))).toBe(2);
    expect(weekOfMonth(new Date('2022-08-29T12:00:00Z'))).toBe(5);
    // A 31-day month starting on a Sunday reaches week 6.
    expect(weekOfMonth(new Date('2023-10-30T12:00:00Z'))).toBe(6);
  });

  it('uses UTC, not the local date', () => {
    expect(weekOfMonth(new Date('2022-01-02T23:30:00-05:00'))).toBe(2); // 2022-01-03T04:30Z
  });
});
