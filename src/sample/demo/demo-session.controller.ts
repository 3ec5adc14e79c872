import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type DemoWidgetSettings, SAMPLE_OPTIONS, type SampleAppOptions } from '../sample-options.js';
import { DEMO_TENANT_ID, DEMO_USER_ID } from './demo-constants.js';

/** What the demo page receives when it "signs in". */
export interface DemoSession {
  readonly bearer: string;
  readonly userId: string;
  readonly tenants: readonly string[];
  readonly widget: DemoWidgetSettings;
  /** Where the page loads hotglue's widget from, or why it cannot and how to get it. */
  readonly widgetScript:
    | { readonly available: true; readonly url: string }
    | { readonly available: false; readonly hint: string };
}

/**
 * `POST /demo/session`: the demo page's stand-in for a login form. Registered in local mode only (the
 * module never adds this controller otherwise), on a loopback-bound server, answered `no-store`, and not
 * readable cross-origin (CORS is off in local mode). A POST, so nothing prefetches or caches it.
 */
@ApiExcludeController()
@Controller('demo')
export class DemoSessionController {
  constructor(@Inject(SAMPLE_OPTIONS) private readonly options: SampleAppOptions) {}

  @Post('session')
  @HttpCode(200)
  session(): DemoSession {
    const demo = this.options.demo!;
    const script = demo.widgetScript;
    return {
      bearer: demo.bearer,
      userId: DEMO_USER_ID,
      tenants: [DEMO_TENANT_ID],
      widget: demo.widget,
      // The server path of the file stays on the server.
      widgetScript: script?.available
        ? { available: true, url: script.url }
        : { available: false, hint: script ? `${script.reason}. ${script.hint}` : 'Not available.' },
    };
  }
}
