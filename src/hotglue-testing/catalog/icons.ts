/**
 * Icons of the local catalogue as `data:` URIs: the widget loads `icon`, `flowIcon` and `company.logo` as
 * given, and without an icon it falls back to `logo.clearbit.com` (see docs/hotglue-reference.md). Inline SVG keeps
 * every image on the page's own process: nothing to serve, nothing to fetch from outside loopback.
 */
export function letterIcon(letter: string, background: string): string {
  // Only a fixed set of callers with literal arguments; still, keep the SVG well-formed for any letter.
  const safe = letter.replace(/[^A-Za-z0-9]/g, '').slice(0, 2) || '?';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="${background}"/>` +
    `<text x="32" y="42" font-family="Arial, sans-serif" font-size="28" font-weight="700" ` +
    `text-anchor="middle" fill="#ffffff">${safe}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The icons of the default catalogue, keyed by source / connector / flow. */
export const ICONS = {
  salesforce: letterIcon('S', '#00a1e0'),
  hubspot: letterIcon('H', '#ff7a59'),
  pipedrive: letterIcon('P', '#1a1a1a'),
  csv: letterIcon('CS', '#4b5563'),
  postgres: letterIcon('PG', '#336791'),
  flow: letterIcon('F', '#3366ff'),
  connectorFlow: letterIcon('C', '#7c3aed'),
  company: letterIcon('E', '#3366ff'),
} as const;
