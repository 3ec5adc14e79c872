import { describe, expect, it } from 'vitest';
import { parseErrorBody } from './error-body.js';

describe('parseErrorBody', () => {
  it('reads Code/Message and strips ChaliceViewError:', () => {
    expect(
      parseErrorBody('{"Code":"ChaliceViewError","Message":"ChaliceViewError: no config for the tenant"}'),
    ).toEqual({
      hotglueCode: 'ChaliceViewError',
      hotglueMessage: 'no config for the tenant',
    });
  });
  it('accepts lowercase code/message', () => {
    expect(parseErrorBody('{"message":"Forbidden"}')).toEqual({ hotglueMessage: 'Forbidden' });
    expect(parseErrorBody('{"code":"X","message":"y"}')).toEqual({ hotglueCode: 'X', hotglueMessage: 'y' });
  });
  it('gives {} for non-JSON, arrays and other shapes', () => {
    for (const text of ['', '<html>', '[1]', 'null', '{"Code":5}']) expect(parseErrorBody(text)).toEqual({});
  });
  it('cleans before it cuts, so a cut never leaves half a secret', () => {
    const secret = 'S'.repeat(40);
    const text = JSON.stringify({ Message: `${'x'.repeat(480)}${secret}` });
    const { hotglueMessage } = parseErrorBody(text, (v) => v.replaceAll(secret, '[REDACTED]'));
    expect(hotglueMessage).not.toContain('SSSS');
    expect(hotglueMessage).toContain('[REDACTED]');
  });
});
